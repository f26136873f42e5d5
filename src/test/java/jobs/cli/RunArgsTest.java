package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunArgsTest {
    @Test
    void aWordWithShellSyntaxIsForAShell() {
        for (String word : new String[] {"a b", "a|b", "$HOME", "x*", "~/bin", "{a,b}", "[ab]", "`date`", "a\tb"}) {
            assertTrue(RunArgs.hasShellSyntax(word), word);
        }
        assertFalse(RunArgs.hasShellSyntax("./a.out"));
        assertFalse(RunArgs.hasShellSyntax("make-all_2.sh"));
    }

    @Test
    void onlyAKnownShellTakesTheCommand() {
        assertEquals("/bin/sh", RunArgs.shell(Map.of()));
        assertEquals("/bin/sh", RunArgs.shell(Map.of("SHELL", "")));
        assertEquals("/bin/dash", RunArgs.shell(Map.of("SHELL", "/bin/dash")));
        assertEquals("ksh", RunArgs.shell(Map.of("SHELL", "ksh")));
        assertEquals("/bin/sh", RunArgs.shell(Map.of("SHELL", "/usr/bin/nu")));
        assertEquals("/bin/sh", RunArgs.shell(Map.of("SHELL", "/usr/bin/bash5")));
    }
}
