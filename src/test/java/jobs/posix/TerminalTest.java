package jobs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.testkit.Jvm;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TerminalTest {
    private static final int ISIG = 0x1;
    private static final int ICANON = 0x2;
    private static final int ECHO = 0x8;
    private static final int IEXTEN = 0x8000;

    @Test
    void rawModeClearsSignalsEchoAndLineEditingThenRestores() throws Exception {
        try (PtySession s = PtySession.start(Jvm.command(TerminalProbe.class.getName()), Map.of(), 100, 30)) {
            String out = s.awaitText(t -> t.contains(";"));
            assertEquals(0, s.awaitExit(), out);
            assertTrue(out.contains("isatty=true"), out);
            assertTrue(out.contains("size=30x100"), out);
            Matcher m = Pattern.compile("lflag=([0-9a-f]+),([0-9a-f]+),([0-9a-f]+);").matcher(out);
            assertTrue(m.find(), out);
            int before = Integer.parseInt(m.group(1), 16);
            int during = Integer.parseInt(m.group(2), 16);
            int after = Integer.parseInt(m.group(3), 16);
            int cooked = ISIG | ICANON | ECHO | IEXTEN;
            assertEquals(cooked, before & cooked, out);
            assertEquals(0, during & cooked, "raw mode must pass Ctrl-C/Ctrl-Z through: " + out);
            assertEquals(before, after, out);
        }
    }

    @Test
    void withoutTerminalThereIsNoSizeAndNoRawMode() {
        // the test JVM's fd 0 is not a terminal under surefire; fd 99 is not even open
        assertFalse(Terminal.isatty(99));
        assertTrue(Terminal.size(99).isEmpty());
        IOException e = assertThrows(IOException.class, () -> Terminal.enterRaw(99));
        assertEquals("tcgetattr: EBADF", e.getMessage());
    }
}
