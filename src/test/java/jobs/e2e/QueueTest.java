package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jobs.testkit.Jvm;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jobs that wait their turn ({@code run --queue/--after/--delay}), with real daemons, runners
 * and jobs. The jobs write "start N" and "end N" lines to one file: its order is what the
 * scheduler did. A job that must not end before the test says so waits for a file to appear
 * ({@link #gate}), so nothing here depends on how fast the machine is.
 */
@Timeout(240)
class QueueTest {
    @RegisterExtension
    final TestUser user = new TestUser();
    Cli cli;
    Path events;

    @BeforeEach
    void setUp() {
        cli = user.cli();
        events = user.dir().resolve("events");
    }

    /** A job that logs its start, waits until file {@code gate} exists, and logs its end. */
    private String[] gated(String label, String gate) {
        return new String[] {"sh", "-c", "echo start " + label + " >> '" + events + "'; while [ ! -e '"
                + user.dir().resolve(gate) + "' ]; do sleep 0.05; done; echo end " + label + " >> '" + events + "'"};
    }

    private void open(String gate) throws IOException {
        Files.createFile(user.dir().resolve(gate));
    }

    private List<String> lines() throws IOException {
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
    }

    private Cli.Result run(String... args) throws Exception {
        Cli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The row of that queue in 'jobs queue': name, parallel, running, waiting, state. */
    private List<String> queueRow(String queue) throws Exception {
        return run("queue").out().lines().filter(l -> l.startsWith(queue + " ")).findFirst()
                .map(l -> List.of(l.split(" +"))).orElseThrow();
    }

    private String[] runIn(String queue, String label, String gate) {
        return concat(new String[] {"run", "-d", "-q", queue}, gated(label, gate));
    }

    /**
     * Timeline: three jobs join queue 'q' (parallel 1) and get ids 1-3 at once: 1 runs, 2 and
     * 3 are listed Queued → each gate opened in turn lets exactly the next one start → the file
     * shows no overlap and the order of submission.
     */
    @Test
    void aQueueOfOneRunsItsJobsOneAfterAnotherInOrder() throws Exception {
        assertEquals("[1] Queued in q\n", run(runIn("q", "1", "g1")).out());
        assertEquals("[2] Queued in q\n", run(runIn("q", "2", "g2")).out());
        assertEquals("[3] Queued in q\n", run(runIn("q", "3", "g3")).out());
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        String json = run("list", "--json").out();
        assertTrue(json.contains("\"id\":2,\"pid\":0,") && json.contains("\"state\":\"queued\""), json);
        assertTrue(json.contains("\"queue\":\"q\",\"after\":[],\"start_at\":null"), json);
        assertEquals(List.of("q", "1", "1", "2", "active"), queueRow("q"));
        open("g1");
        await().atMost(PtySession.WAIT).until(() -> lines().size() == 3);
        assertEquals(List.of("start 1", "end 1", "start 2"), lines());
        open("g2");
        open("g3");
        await().atMost(PtySession.WAIT).until(() -> lines().size() == 6);
        assertEquals(List.of("start 1", "end 1", "start 2", "end 2", "start 3", "end 3"), lines());
        assertEquals(0, run("wait", "3").code());
    }

    /** Timeline: parallel 2, three jobs → two start, the third waits until one of them ends. */
    @Test
    void parallelTwoRunsTwoAtOnce() throws Exception {
        assertTrue(run("queue", "p", "--parallel", "2").out().matches("(?s).*\np +2 +0 +0 +active\n"));
        run(runIn("p", "1", "g1"));
        run(runIn("p", "2", "g2"));
        run(runIn("p", "3", "g3"));
        await().atMost(PtySession.WAIT).until(() -> lines().size() == 2);
        assertEquals(List.of("start 1", "start 2"), lines().stream().sorted().toList());
        assertTrue(run("list").out().contains("Queued in p"));
        open("g2");
        await().atMost(PtySession.WAIT).until(() -> lines().contains("start 3"));
        open("g1");
        open("g3");
        assertEquals(0, run("wait").code());
    }

    /**
     * Timeline: a paused queue takes a job and starts nothing; resumed, it starts it. Pausing
     * leaves what runs running.
     */
    @Test
    void aPausedQueueStartsNothingUntilResumed() throws Exception {
        run(runIn("z", "1", "g1"));
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        assertTrue(run("queue", "z", "--pause").out().contains("paused"));
        open("g1");
        await().atMost(PtySession.WAIT).until(() -> lines().size() == 2);
        run(runIn("z", "2", "g2"));
        assertEquals(0, run("wait", "1").code());
        assertTrue(run("list").out().contains("Queued in z"), run("list").out());
        assertEquals(List.of("start 1", "end 1"), lines());
        run("queue", "z", "--resume");
        await().atMost(PtySession.WAIT).until(() -> lines().contains("start 2"));
        open("g2");
        assertEquals(0, run("wait", "2").code());
    }

    /**
     * Timeline: job 1 fails (exit 3); 2 runs --after 1 and 3 --after 2: both are cancelled,
     * saying why, and never start; wait on them says so with 125; clean removes them.
     */
    @Test
    void afterAFailedJobTheDependentsAreCancelled() throws Exception {
        run(concat(new String[] {"run", "-d"}, gated("1", "g1")[0], gated("1", "g1")[1], gated("1", "g1")[2] + "; exit 3"));
        assertEquals("[2] Waiting for 1\n", run("run", "-d", "--after", "1", "sh", "-c", "echo start 2 >> " + events).out());
        assertEquals("[3] Waiting for 2\n", run("run", "-d", "--after", "%2", "sh", "-c", "echo start 3 >> " + events).out());
        Cli.Result unknown = cli.run("run", "-d", "--after", "1,9", "true");
        assertEquals(1, unknown.code(), unknown.toString());
        assertEquals("jobs: --after: job 9 not found\n", unknown.err());
        open("g1");
        Cli.Result cancelled = cli.run("wait", "3");
        assertEquals(125, cancelled.code(), cancelled.toString());
        assertEquals("jobs: job 3 cancelled: job 2 was cancelled\n", cancelled.err());
        Cli.Result first = cli.run("wait", "2");
        assertEquals("jobs: job 2 cancelled: job 1 ended with status 3\n", first.err());
        String json = run("list", "--json").out();
        assertTrue(json.contains("\"state\":\"cancelled\""), json);
        assertEquals(List.of("start 1", "end 1"), lines());
        run("clean");
        assertEquals("No jobs found\n", run("list").out());
    }

    /** Timeline: 1, then 2 --after 1, then 3 --after 2: they run in that order, each after the one before ended. */
    @Test
    void aChainOfThreeRunsInOrder() throws Exception {
        run(concat(new String[] {"run", "-d"}, gated("1", "g1")));
        run(concat(new String[] {"run", "-d", "--after", "1"}, gated("2", "g1")));
        run(concat(new String[] {"run", "-d", "--after", "2"}, gated("3", "g1")));
        String list = run("list").out();
        assertTrue(list.contains("Waiting for 1") && list.contains("Waiting for 2"), list);
        open("g1");
        assertEquals(0, run("wait", "3").code());
        assertEquals(List.of("start 1", "end 1", "start 2", "end 2", "start 3", "end 3"), lines());
    }

    /** Timeline: --delay 3s is listed Delayed until HH:MM with its start_at, and starts after that long. */
    @Test
    void aDelayedJobStartsWhenItsTimeComes() throws Exception {
        run("run", "-d", "true"); // the daemon's start is not part of the delay
        long before = System.currentTimeMillis();
        String out = run("run", "-d", "--delay", "3s", "sh", "-c", "echo start >> " + events).out();
        assertTrue(out.matches("\\[2] Delayed until \\d\\d:\\d\\d\n"), out);
        assertTrue(run("list", "--json").out().contains("\"state\":\"delayed\""));
        assertEquals(0, run("wait", "2").code());
        assertTrue(System.currentTimeMillis() - before >= 3000);
        assertEquals(List.of("start"), lines());
    }

    /**
     * Timeline: a job waits in queue 'k' behind a running one; kill removes it (it never
     * starts) and a job --after it is cancelled; 'start' starts a waiting job now, past its
     * queue; a started job cannot be started again.
     */
    @Test
    void killRemovesAWaitingJobAndStartStartsOneNow() throws Exception {
        run(runIn("k", "1", "g1"));
        run(runIn("k", "2", "g2"));
        run("run", "-d", "--after", "2", "true");
        run(runIn("k", "4", "g4"));
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        run("kill", "2");
        Cli.Result cancelled = cli.run("wait", "3");
        assertEquals(125, cancelled.code(), cancelled.toString());
        assertEquals("jobs: job 3 cancelled: job 2 was killed before it started\n", cancelled.err());
        assertFalse(run("list").out().contains("│  2 │"));
        assertTrue(run("start", "4").out().matches("\\[4] \\d+\n"));
        await().atMost(PtySession.WAIT).until(() -> lines().contains("start 4"));
        Cli.Result again = cli.run("start", "4");
        assertEquals(1, again.code(), again.toString());
        assertEquals("jobs: job 4 has already started\n", again.err());
        open("g1");
        open("g4");
        assertEquals(0, run("wait").code());
        assertEquals(List.of("start 1", "start 4"), lines().stream().filter(l -> l.startsWith("start")).sorted().toList());
    }

    private PtySession terminal(String... args) throws IOException {
        return user.pty(Jvm.command("jobs.cli.Main", args));
    }

    /**
     * Timeline: two terminals run into queue 'gpu' without -d: the first attaches at once, the
     * second shows its one waiting line; the first job ends → the second terminal attaches to
     * its job (the job asks for a line: the key typed there reaches it) and exits with its status.
     */
    @Test
    void foregroundRunsInTwoTerminalsTakeTurns() throws Exception {
        PtySession first = terminal(concat(new String[] {"run", "-q", "gpu"}, gated("1", "g1")));
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        PtySession second = terminal("run", "-q", "gpu", "sh", "-c", "echo second here; read x; exit $x");
        second.awaitText("[2] Queued in gpu: waiting for it to start (Ctrl-C leaves it waiting)");
        open("g1");
        assertEquals(0, first.awaitExit());
        second.awaitText("second here");
        second.write("7\r");
        assertEquals(7, second.awaitExit());
    }

    /**
     * Timeline: a job waits behind another; 'continue' of it in a terminal shows the waiting
     * line, Ctrl-C there leaves it queued; a second 'continue' attaches when it starts.
     */
    @Test
    void continueOfAWaitingJobAttachesWhenItStarts() throws Exception {
        run(runIn("c", "1", "g1"));
        run("run", "-d", "-q", "c", "sh", "-c", "echo now here; read x; exit $x");
        PtySession gaveUp = terminal("continue", "2");
        gaveUp.awaitText("[2] Queued in c: waiting for it to start");
        gaveUp.write(0x03);
        assertEquals(130, gaveUp.awaitExit());
        assertTrue(run("list").out().contains("Queued in c"));
        PtySession attached = terminal("continue", "2");
        attached.awaitText("[2] Queued in c: waiting for it to start");
        open("g1");
        attached.awaitText("now here");
        attached.write("4\r");
        assertEquals(4, attached.awaitExit());
    }

    /**
     * Timeline: job 1 runs in queue 'd', 2 and 3 wait behind it, 4 waits --after 3; SIGKILL to
     * the daemon; the runner of job 1 brings a new daemon, which reads the waiting jobs back:
     * same ids, still waiting; then each starts exactly once, in order.
     */
    @Test
    void waitingJobsSurviveAKilledDaemonAndStartOnceInOrder() throws Exception {
        run(concat(new String[] {"run", "-d", "-q", "d", "--name", "one"}, gated("1", "g1")));
        run(runIn("d", "2", "g1"));
        run(runIn("d", "3", "g1"));
        run(concat(new String[] {"run", "-d", "--after", "3"}, gated("4", "g1")));
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        long daemon = Leftovers.onlyDaemon(user.runtime());
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        String list = run("list").out();
        assertTrue(list.contains("Running") && list.contains("Waiting for 3"), list);
        assertEquals(2, list.split("Queued in d", -1).length - 1, list);
        open("g1");
        assertEquals(0, run("wait", "4").code());
        assertEquals(List.of("start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4"), lines());
    }

    /**
     * Timeline: 2 waits behind 1 in queue 's', 3 is delayed by an hour; restart-server hands
     * them to a fresh daemon with their ids and states; 2 then starts once, after 1.
     */
    @Test
    void waitingJobsSurviveRestartServer() throws Exception {
        run(runIn("s", "1", "g1"));
        run(runIn("s", "2", "g1"));
        run("run", "-d", "--delay", "1h", "true");
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        long before = Leftovers.onlyDaemon(user.runtime());
        assertEquals("daemon restarted; 3 jobs kept\n", run("restart-server").out());
        String list = run("list").out();
        assertTrue(list.contains("Queued in s") && list.contains("Delayed until"), list);
        assertTrue(Leftovers.onlyDaemon(user.runtime()) != before);
        open("g1");
        assertEquals(0, run("wait", "2").code());
        assertEquals(List.of("start 1", "end 1", "start 2", "end 2"), lines());
    }

    /**
     * Timeline: a terminal waits for job 2 behind job 1; the daemon is killed (SIGKILL) and
     * then restarted by hand; the terminal waits on through both and attaches when 2 starts.
     */
    @Test
    void aWaitingTerminalRidesOutACrashAndARestart() throws Exception {
        run(runIn("t", "1", "g1"));
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        PtySession waiter = terminal("run", "-q", "t", "sh", "-c", "echo two here; read x; exit $x");
        waiter.awaitText("[2] Queued in t: waiting for it to start");
        long daemon = Leftovers.onlyDaemon(user.runtime());
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        await().atMost(PtySession.WAIT).until(() -> waiter.count("waiting for it to start") == 2);
        assertEquals("daemon restarted; 2 jobs kept\n", run("restart-server").out());
        await().atMost(PtySession.WAIT).until(() -> waiter.count("waiting for it to start") == 3);
        open("g1");
        waiter.awaitText("two here");
        waiter.write("3\r");
        assertEquals(3, waiter.awaitExit());
    }

    /** Timeline: waiting jobs, kill-server → a new daemon lists none: kill-server ended them. */
    @Test
    void killServerEndsWaitingJobs() throws Exception {
        run(runIn("e", "1", "g1"));
        run(runIn("e", "2", "g1"));
        run("run", "-d", "--delay", "1h", "true");
        await().atMost(PtySession.WAIT).until(() -> lines().equals(List.of("start 1")));
        run("kill-server");
        assertEquals("No jobs found\n", run("list").out());
        run("run", "-d", "true");
        String list = run("list").out();
        assertTrue(list.contains("true") && !list.contains("Queued") && !list.contains("Delayed"), list);
        assertEquals(List.of("start 1"), lines());
    }

    /**
     * Timeline: a named job in queue 'r' with a variable of its environment and a directory of
     * its own ends → rerun -d makes job 2 of the same command, directory, environment, name and
     * queue (the old one leaves the list, the name passes on); a running job cannot be rerun.
     */
    @Test
    void rerunRunsAnEndedJobAgainAsItWas() throws Exception {
        Path work = Files.createDirectory(user.dir().resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(Jvm.command("jobs.cli.Main", "run", "-d", "-q", "r", "--name", "again", "sh",
                "-c", "echo \"$PWD $MARK\" >> '" + events + "'"));
        pb.directory(work.toFile());
        pb.environment().putAll(user.env());
        pb.environment().put("MARK", "m1");
        Cli.Result first = Cli.finish(pb.start());
        assertEquals(0, first.code(), first.toString());
        assertEquals(0, run("wait", "1").code());
        assertEquals("[2] Queued in r\n", run("rerun", "-d", "again").out()); // its queue comes with it
        assertEquals(0, run("wait", "again").code());
        assertEquals(List.of(work + " m1", work + " m1"), lines());
        String json = run("list", "--json").out();
        assertTrue(json.contains("\"id\":2,") && !json.contains("\"id\":1,") && json.contains("\"name\":\"again\""), json);
        assertTrue(json.contains("\"queue\":\"r\""), json);
        run(concat(new String[] {"run", "-d"}, gated("3", "g3")));
        Cli.Result running = cli.run("rerun", "3");
        assertEquals(1, running.code(), running.toString());
        assertEquals("jobs: job 3 has not ended (rerun runs an ended job again)\n", running.err());
        open("g3");
    }

    /** Timeline: 'log -f' of a job that waits follows it from its start to its end, with its status. */
    @Test
    void logFollowsAWaitingJobOnceItStarts() throws Exception {
        run(runIn("l", "1", "g1"));
        run("run", "-d", "-q", "l", "sh", "-c", "echo from two; exit 6");
        assertEquals("", run("log", "2").out());
        Process follower = cli.start("log", "-f", "2");
        open("g1");
        Cli.Result followed = Cli.finish(follower);
        assertEquals(6, followed.code(), followed.toString());
        assertEquals("from two\r\n", followed.out());
    }

    /** Timeline: a job --after a failing one is cancelled with nobody watching → the finish hook hears of it. */
    @Test
    void theFinishHookHearsOfACancelledJob() throws Exception {
        Path out = user.dir().resolve("hook");
        user.settings("notify.command=env | grep ^JOB_ | sort > " + out + ".$JOB_ID.$JOB_STATE");
        run("run", "-d", "sh", "-c", "exit 2");
        run("run", "-d", "--after", "1", "true");
        assertEquals(125, cli.run("wait", "2").code());
        Path cancelled = user.dir().resolve("hook.2.cancelled");
        await().atMost(PtySession.WAIT).until(() -> Files.exists(cancelled) && Files.readString(cancelled).contains("JOB_STATUS"));
        String env = Files.readString(cancelled);
        assertTrue(env.contains("JOB_STATUS=job 1 ended with status 2\n") && env.contains("JOB_COMMAND=true\n"), env);
    }
}
