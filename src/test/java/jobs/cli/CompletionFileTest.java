package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion files a package installs: the completion part of {@code jobs init SHELL}, and
 * nothing else of it (no function over the shell's builtin, no prompt hook), running the
 * installed launcher.
 */
class CompletionFileTest {
    private static final String LAUNCHER = "/usr/bin/jobs";

    @Test
    void eachIsTheCompletionPartOfItsSnippet() {
        for (String shell : ShellInit.SHELLS) {
            String file = ShellInit.completion(shell, LAUNCHER);
            String body = file.substring(file.indexOf('\n', file.indexOf("made by the build")) + 1);
            String snippet = switch (shell) {
                case "bash" -> InitBash.text(LAUNCHER, "/n");
                case "zsh" -> InitZsh.text(LAUNCHER, "/n");
                default -> InitFish.text(LAUNCHER, "/n");
            };
            String tail = shell.equals("zsh") ? "__jobs_tool_complete \"$@\"\n" : "";
            assertTrue(snippet.endsWith(body.substring(0, body.length() - tail.length())), shell);
            assertFalse(file.contains("JOBS_SHELL_PID"), shell + ": the notices are the snippet's");
            assertFalse(file.contains("builtin stays reachable"), shell + ": so is the jobs function");
            assertTrue(file.contains("'/usr/bin/jobs' __complete ids"), shell);
        }
        assertTrue(ShellInit.completion("zsh", LAUNCHER).startsWith("#compdef jobs\n"));
    }

    @Test
    void bashLoadsItAsCompletionForJobs(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("jobs"), ShellInit.completion("bash", LAUNCHER));
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", "source \"$1\" && complete -p jobs", "bash",
                file.toString()).redirectErrorStream(true).start();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals("complete -o bashdefault -o default -F __jobs_tool_complete jobs\n",
                new String(bash.getInputStream().readAllBytes()));
        assertEquals(0, bash.exitValue());
    }
}
