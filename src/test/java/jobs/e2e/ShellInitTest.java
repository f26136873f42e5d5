package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code jobs init SHELL} evaluated by that shell, interactive in a real pty, as a user's rc file
 * would: {@code jobs} is ours, completion offers a job's id, and a job that ends in the
 * background is reported exactly once, before the next prompt. zsh and fish are skipped where
 * they are not installed (.ci/run installs them); bash always runs.
 */
@Tag("e2e")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ShellInitTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String JOBS = REPO.resolve("jobs").toString();

    @RegisterExtension
    final TestUser user = new TestUser();
    Path runtime;
    Path home;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        runtime = user.runtime();
        home = user.home();
        env = user.env();
        env.put("PS1", "$ ");
    }

    @Test
    void bash() throws Exception {
        PtySession sh = shell("bash", "--norc", "--noprofile", "-i");
        type(sh, "eval \"$(" + JOBS + " init bash)\"");
        type(sh, "type -t jobs; complete -p jobs; echo jobs is \"$(jobs --version)\"");
        see(sh, "function");
        see(sh, "-F __jobs_tool_complete jobs");
        see(sh, "jobs is jobs ");
        type(sh, "builtin jobs; echo builtin=$?");
        see(sh, "builtin=0");

        type(sh, "jobs run -d sleep 1000");
        see(sh, "[1] ");
        type(sh, "COMP_WORDS=(jobs continue ''); COMP_CWORD=2; __jobs_tool_complete; echo \"ids=${COMPREPLY[*]}.\"");
        see(sh, "ids=1.");

        noticeOnce(sh, "until [ -d \"$__jobs_tool_notices_dir\" ]; do sleep 0.05; done; echo wait''ed");
    }

    /*
     * Timeline: a background job from an initialised bash waits for a file; the daemon is killed
     * (SIGKILL) and a runner's new daemon adopts the job; the file appears, the job exits 4, and
     * the shell's next prompt still prints "[1]  Exit 4": the adopted job kept its shell. Then
     * kill-server ends another job, and leaves no notice of that.
     */
    @Test
    void anAdoptedJobStillNotifiesItsShell() throws Exception {
        PtySession sh = shell("bash", "--norc", "--noprofile", "-i");
        type(sh, "eval \"$(" + JOBS + " init bash)\"");
        Path go = home.resolve("go");
        type(sh, "jobs run -d sh -c 'while [ ! -e " + go + " ]; do sleep 0.05; done; exit 4'");
        see(sh, "[1] ");
        long daemon = Leftovers.daemons(runtime).getFirst();
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> Leftovers.daemons(runtime).stream().anyMatch(d -> d != daemon));
        type(sh, "jobs list");
        see(sh, "Background");
        type(sh, "echo wait''ing; until [ -d \"$__jobs_tool_notices_dir\" ]; do sleep 0.05; done; echo wait''ed");
        see(sh, "waiting");
        Files.createFile(go);
        see(sh, "waited");
        see(sh, "[1]  Exit 4  sh -c while");

        // kill-server ends a job on purpose: no notice of it (the daemon would have left it by the time kill-server returns)
        type(sh, "jobs run -d sleep 1000");
        see(sh, "[2] ");
        type(sh, "jobs kill-server; echo \"notices=$(ls \"$__jobs_tool_notices_dir\" 2>/dev/null | wc -l)\"");
        see(sh, "notices=0");
    }

    @Test
    void zsh() throws Exception {
        assumeTrue(installed("zsh"), "zsh is not installed");
        PtySession sh = shell("zsh", "-f", "-i");
        type(sh, "PS1='$ '; autoload -Uz compinit && compinit -u -D");
        type(sh, "eval \"$(" + JOBS + " init zsh)\"");
        type(sh, "whence -w jobs; echo jobs is \"$(jobs --version)\"");
        see(sh, "jobs: function");
        see(sh, "jobs is jobs ");

        type(sh, "jobs run -d sleep 1000");
        see(sh, "[1] ");
        // a single candidate: Tab completes it in the line; Ctrl-A and "echo " make the line show it
        sh.write("jobs continue ".getBytes());
        sh.write('\t');
        sh.write(0x01);
        sh.write("echo picked \r".getBytes());
        see(sh, "picked jobs continue 1");

        noticeOnce(sh, "until [ -d \"$__jobs_tool_notices_dir\" ]; do sleep 0.05; done; echo wait''ed");
    }

    @Test
    void fish() throws Exception {
        assumeTrue(installed("fish"), "fish is not installed");
        PtySession sh = shell("fish", "--no-config", "-i");
        type(sh, "function fish_prompt; echo -n '$ '; end");
        type(sh, JOBS + " init fish | source");
        type(sh, "type -t jobs; echo jobs is (jobs --version)");
        see(sh, "function");
        see(sh, "jobs is jobs ");

        type(sh, "jobs run -d sleep 1000");
        see(sh, "[1] ");
        type(sh, "complete -C 'jobs continue ' | string replace -a \\t = | string join ' '");
        see(sh, "1=sleep 1000");

        noticeOnce(sh, "while not test -d $__jobs_tool_notices_dir; sleep 0.05; end; echo wait''ed");
    }

    /*
     * Timeline: a background job exits 3 once the shell waits (with its own loop) until the daemon
     * has left the notice → the next prompt prints "[2]  Exit 3  sh -c ..." → two more
     * commands and prompts → still exactly one notice.
     */
    private void noticeOnce(PtySession sh, String waitForNotice) throws Exception {
        // the job ends when the test says: a notice left before the shell's loop runs would be
        // printed by the prompt before it, and the loop would wait for it forever
        Path go = home.resolve("go3");
        type(sh, "jobs run -d sh -c 'while [ ! -e " + go + " ]; do sleep 0.05; done; exit 3'");
        see(sh, "[2] ");
        type(sh, "echo wait''ing; " + waitForNotice);
        see(sh, "waiting");
        Files.createFile(go);
        see(sh, "waited");
        see(sh, "[2]  Exit 3  sh -c while");
        type(sh, "echo one''more");
        see(sh, "onemore");
        type(sh, "echo and''another");
        see(sh, "andanother");
        String text = sh.text();
        assertEquals(1, sh.count("[2]  Exit 3"), text);
        assertTrue(text.indexOf("[2]  Exit 3") > text.indexOf("waited"), text);
    }

    /** awaitText, with what the shell showed when it fails: a shell's mistakes are on its screen. */
    private static void see(PtySession sh, String expected) {
        try {
            sh.awaitText(expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no \"" + expected + "\" in:\n" + sh.text(), e);
        }
    }

    private static void type(PtySession sh, String line) throws IOException {
        sh.write((line + "\r").getBytes());
    }

    private PtySession shell(String... command) throws IOException {
        return user.pty(home, env, List.of(command), 200, 24);
    }

    private static boolean installed(String name) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }
}
