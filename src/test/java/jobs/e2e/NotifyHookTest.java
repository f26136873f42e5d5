package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import jobs.testkit.Slow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * notify.command: run for jobs that end or stop with no terminal attached, with the JOB_*
 * environment; one that hangs is killed after 10 s, one that fails is logged.
 */
@Timeout(240)
class NotifyHookTest {
    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Cli cli;
    Path out;

    @BeforeEach
    void setUp() throws Exception {
        tmp = user.dir();
        out = Files.createDirectory(tmp.resolve("out"));
        // one hook for every case, told apart by the job's command
        String hook = "case \"$JOB_COMMAND\" in *hang*) exec sleep 600;; *fail*) echo oops >&2; exit 5;; esac; "
                + "env | grep ^JOB_ > " + out + "/$JOB_ID.$JOB_STATE";
        user.settings("notify.command=" + hook.replace("\\", "\\\\"));
        cli = user.cli();
    }

    private Map<String, String> env(String file) throws Exception {
        Path p = out.resolve(file);
        await().atMost(PtySession.WAIT).until(() -> Files.exists(p) && Files.readString(p).contains("JOB_STATUS"));
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(p)) {
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void finishedKilledAndStoppedJobsRunTheHookWithTheirFacts() throws Exception {
        cli.run("run", "-d", "sh", "-c", "echo hi; exit 4").startedPid();
        Map<String, String> e = env("1.finished");
        assertEquals("1", e.get("JOB_ID"));
        assertEquals("", e.get("JOB_NAME"));
        assertEquals("sh -c echo hi; exit 4", e.get("JOB_COMMAND"));
        assertEquals("4", e.get("JOB_STATUS"));
        assertTrue(e.get("JOB_SECONDS").matches("\\d+"), e.toString());
        Path log = Path.of(e.get("JOB_LOG"));
        assertTrue(log.startsWith(user.state().resolve("job-security")), log::toString);
        await().atMost(PtySession.WAIT).until(() -> Files.readString(log).equals("hi\r\n"));

        cli.run("run", "-d", "sh", "-c", "kill -TERM $$").startedPid();
        assertEquals("SIGTERM", env("2.killed").get("JOB_STATUS"));

        long stopped = cli.run("run", "-d", "sh", "-c", "kill -TSTP $$; exec sleep 1000").startedPid();
        await().atMost(PtySession.WAIT).until(() -> Proc.state(stopped) == 'T');
        assertEquals("SIGTSTP", env("3.stopped").get("JOB_STATUS"));
    }

    @Test
    @Slow
    void aHangingHookIsKilledAndAFailingOneIsLogged() throws Exception {
        cli.run("run", "-d", "sh", "-c", "exit 0 # hang").startedPid();
        cli.run("run", "-d", "sh", "-c", "exit 0 # fail").startedPid();
        Path daemonLog = user.runtime().resolve("job-security/daemon.log");
        await().atMost(PtySession.WAIT).until(() -> Files.readString(daemonLog)
                .contains("notify.command for job 2 (finished) failed with exit status 5: oops"));
        await().atMost(PtySession.WAIT).until(() -> Files.readString(daemonLog)
                .contains("notify.command for job 1 (finished) still ran after 10 s: killed"));
        await().atMost(PtySession.WAIT).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").equals("sleep 600")
                        && Leftovers.find(user.runtime()).contains(p)));
        // the jobs themselves were never held up: both are long finished
        assertTrue(cli.run("list", "--json").out().chars().filter(c -> c == '{').count() == 2);
    }
}
