package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import jobs.testkit.Slow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon as a real process of its own, started by the real CLI as users start it, then
 * killed with SIGKILL: every job outlives it (running, stopped, one that ignores SIGHUP), a new
 * daemon started by a runner adopts them all with their ids, pids and states (the very first
 * list after the crash shows them all), and kill-server
 * still ends them all. Two clients racing to start it end up with one.
 */
@Timeout(240)
class DaemonKillTest {
    private static final Pattern JOB = Pattern.compile(
            "\\{\"id\":(\\d+),\"pid\":(\\d+),\"command\":\\[[^\\]]*\\],\"state\":\"(\\w+)\"");
    @RegisterExtension
    final TestUser user = new TestUser();
    Path runtime;
    Cli cli;

    @BeforeEach
    void setUp() {
        runtime = user.runtime();
        cli = user.cli();
    }

    /**
     * Timeline: twenty jobs in the background, ten of them stopped and one deaf to SIGHUP;
     * SIGKILL to the daemon; a runner starts the next daemon by itself (nobody types a command),
     * which adopts every job: the list is the same, ids, pids and states, and the stopped ones
     * are still stopped. New ids go on after the highest. kill-server then ends every job.
     */
    @Test
    @Slow
    void killedDaemonLosesNoJobAndTheNextOneAdoptsThemAll() throws Exception {
        List<Long> pids = new ArrayList<>();
        List<Process> starting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String[] cmd = i % 2 == 0
                    ? new String[] {"run", "-d", "sh", "-c", "trap '' HUP; sleep " + (1000 + i)}
                    : new String[] {"run", "-d", "sh", "-c", "kill -STOP $$; sleep " + (1000 + i)};
            starting.add(cli.start(cmd));
            if (starting.size() == 4) pids.addAll(finishAll(starting));
        }
        pids.addAll(finishAll(starting));
        for (int i = 0; i < pids.size(); i++) {
            long pid = pids.get(i);
            if (Proc.commandLine(pid).contains("STOP")) await().atMost(PtySession.WAIT).until(() -> Proc.state(pid) == 'T');
        }
        Map<Integer, String> before = jobs(cli.run("list", "--json").out());
        assertEquals(20, before.size(), before.toString());
        long daemon = parent(parent(pids.getFirst()));
        assertTrue(Proc.commandLine(daemon).contains("daemon"), Proc.commandLine(daemon));

        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));

        // the first list after the crash waits for the runners' new daemon: no "No jobs found"
        Map<Integer, String> after = jobs(cli.run("list", "--json").out());
        assertEquals(before, after);
        for (long pid : pids) assertTrue(Proc.alive(pid), pid + " died");
        assertEquals(10, pids.stream().filter(p -> Proc.state(p) == 'T').count());

        Cli.Result next = cli.run("run", "-d", "sleep", "1100");
        assertTrue(next.out().startsWith("[21] "), next.toString());
        long fresh = next.startedPid();
        assertEquals(0, cli.run("kill-server").code());
        await().atMost(PtySession.WAIT).until(() -> pids.stream().noneMatch(Proc::alive) && !Proc.alive(fresh));
    }

    /** id to "pid state" of every job in list --json. */
    private static Map<Integer, String> jobs(String json) {
        Map<Integer, String> jobs = new TreeMap<>();
        Matcher m = JOB.matcher(json);
        while (m.find()) jobs.put(Integer.parseInt(m.group(1)), m.group(2) + " " + m.group(3));
        return jobs;
    }

    private static List<Long> finishAll(List<Process> starting) throws Exception {
        List<Long> pids = new ArrayList<>();
        for (Process p : starting) pids.add(Cli.finish(p).startedPid());
        starting.clear();
        return pids;
    }

    /** Two clients that find no daemon start one each: the lock lets exactly one serve both. */
    @Test
    void racingStartsEndWithExactlyOneDaemon() throws Exception {
        for (int round = 0; round < 2; round++) {
            Process a = cli.start("run", "-d", "sleep", "1000");
            Process b = cli.start("run", "-d", "sleep", "1001");
            Cli.Result ra = Cli.finish(a);
            Cli.Result rb = Cli.finish(b);
            long daemon = Leftovers.onlyDaemon(runtime);
            assertEquals(daemon, parent(parent(ra.startedPid())), ra.toString());
            assertEquals(daemon, parent(parent(rb.startedPid())), rb.toString());
            assertEquals(0, cli.run("kill-server").code());
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        }
    }

    // ---- helpers ----

    private static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }
}
