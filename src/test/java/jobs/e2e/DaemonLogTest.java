package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real daemon's log: a file in the runtime dir, where every line about a job carries that
 * job's id, whichever thread wrote it; the user's terminal gets one line per failure and no
 * stack trace.
 */
@Timeout(180)
class DaemonLogTest {
    /** {@code ... [thread] job=N logger - message}, as config/logback.xml writes it. */
    private static final Pattern LINE = Pattern.compile("^\\S+ \\S+ (\\w+)\\s+\\[([^\\]]*)] job=(\\S+) (\\S+) - (.*)$");
    /** The classes of one job (Job and its directions), whose every line names the job. */
    private static final List<String> JOB_LOGGERS = List.of("Job", "RunnerEvents", "PtyToClient", "ClientToPty",
            "ProcessGroup", "Announcements");
    private static final Pattern NAMES_A_JOB = Pattern.compile("\\bjob[- ](\\d+)\\b");

    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Path runtime;
    Cli cli;

    @BeforeEach
    void setUp() {
        tmp = user.dir();
        runtime = user.runtime();
        cli = user.cli();
    }

    /**
     * Timeline: a job that exits, one that stops itself and is continued in the background, one
     * that ignores SIGHUP, an unknown command; then kill-server, which has to SIGKILL the deaf one.
     */
    @Test
    void everyLineAboutAJobCarriesItsId() throws Exception {
        cli.run("run", "-d", "sh", "-c", "exit 3").startedPid();
        long stopped = cli.run("run", "-d", "sh", "-c", "kill -STOP $$; exec sleep 1000").startedPid();
        await().atMost(PtySession.WAIT).until(() -> Proc.state(stopped) == 'T');
        assertEquals(0, cli.run("continue", "-d", "2").code());
        cli.run("run", "-d", "sh", "-c", "trap '' HUP; exec sleep 1001").startedPid();
        Cli.Result unknown = cli.run("run", "no-such-command-xyz");
        assertEquals(127, unknown.code());
        assertEquals("jobs: no-such-command-xyz: command not found\n", unknown.err());
        assertEquals(0, cli.run("kill-server").code());

        Path log = runtime.resolve("job-security/daemon.log");
        await().atMost(PtySession.WAIT).until(() -> Files.exists(log)
                && Files.readString(log).contains("daemon stopped"));
        List<String> lines = Files.readAllLines(log);
        int aboutJobs = 0;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), () -> "not a log line (a stack trace?): " + line);
            String thread = m.group(2);
            String job = m.group(3);
            String logger = m.group(4);
            Matcher named = NAMES_A_JOB.matcher(thread + " " + m.group(5));
            if (named.find()) {
                aboutJobs++;
                assertEquals(named.group(1), job, () -> "wrong or missing job id: " + line);
            }
            if (JOB_LOGGERS.stream().anyMatch(logger::endsWith)) {
                assertTrue(!job.equals("-"), () -> "a job's line without its id: " + line);
            }
        }
        assertTrue(aboutJobs >= 6, String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("job=3") && l.contains("SIGHUP")), String.join("\n", lines));
    }
}
