package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.testkit.Jvm;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import jobs.testkit.Slow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jobs outlive their daemon, through the real CLI and real daemon processes: a job that ends
 * while no daemon runs keeps its status; an attached client rides out a kill -9 of the daemon
 * without losing its session or a key; restart-server loses no byte of a detached job's output.
 */
@Timeout(240)
class DaemonSurvivalTest {
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
     * Timeline: a job waits for a file; its daemon is killed; the file appears and the job
     * exits 7 with no daemon to tell; its runner keeps the status, starts the next daemon and
     * hands it over; list shows it finished and continue -o replays its last words and exits 7.
     */
    @Test
    void aJobThatEndsWhileNoDaemonRunsKeepsItsStatus() throws Exception {
        Path go = tmp.resolve("go");
        long pid = cli.run("run", "-d", "sh", "-c", "while [ ! -e " + go + " ]; do sleep 0.05; done; echo bye; exit 7")
                .startedPid();
        long daemon = daemonOf(pid);
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        Files.createFile(go);
        await().atMost(PtySession.WAIT).until(() -> cli.run("list", "--json").out().contains("\"exit_code\":7"));
        Cli.Result last = cli.run("continue", "-o", "1");
        assertEquals(7, last.code(), last.toString());
        assertTrue(last.out().contains("bye"), last.toString());
    }

    /**
     * Timeline: a client attached to cat in a terminal types a line and sees it twice (echo, cat);
     * the daemon is killed; the client stays raw, a line typed meanwhile waits; a new daemon
     * adopts cat, the client reattaches and every line comes back exactly twice, in order.
     */
    @Test
    void anAttachedClientRidesOutAKilledDaemon() throws Exception {
        PtySession s = attachedCat();
        long cat = ProcessHandle.of(s.pid()).orElseThrow().descendants()
                .filter(p -> Proc.commandLine(p.pid()).equals("cat")).findFirst()
                .map(ProcessHandle::pid).orElseGet(() -> jobPid("cat"));
        long daemon = daemonOf(cat);
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        // keys sent to a daemon in the middle of dying may go with it (README: what a crash can
        // cost); these are typed once it is gone, while no daemon runs
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        type(s, "two\r");
        s.awaitText("two\ntwo\n");
        type(s, "three\r");
        s.awaitText("three\nthree\n");
        type(s, "\u0004");
        assertEquals(0, s.awaitExit(), s.text());
        String text = s.text();
        for (String word : List.of("one", "two", "three")) {
            assertEquals(2, text.split(word + "\n", -1).length - 1, text);
        }
        assertTrue(text.indexOf("one") < text.indexOf("two") && text.indexOf("two") < text.indexOf("three"), text);
    }

    /**
     * Timeline: a client attached to cat is frozen (SIGSTOP) so that it cannot come back at
     * once; the daemon is killed; the next daemon adopts cat as attached, as its runner last
     * heard: list says Foreground and a plain continue from another terminal is refused; the
     * client is let go on (SIGCONT), comes back to its job, and what it types is echoed once.
     * A client that never comes back holds its job for ten seconds only: then continue works.
     */
    @Test
    @Slow
    void anAdoptedJobWaitsForTheClientThatWasAttached() throws Exception {
        PtySession s = attachedCat();
        long cat = jobPid("cat");
        long daemon = daemonOf(cat);
        long clientPid = s.pid(); // the client's JVM itself: no launcher in between
        Processes.kill(clientPid, Signals.SIGSTOP);
        try {
            ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
            await().atMost(PtySession.WAIT).until(() -> cli.run("list", "--json").out().contains("\"attached\":true"));
            Cli.Result other = cli.run("continue", "1");
            assertEquals(1, other.code(), other.toString());
            assertTrue(other.err().contains("attached to another terminal"), other.toString());
        } finally {
            Processes.kill(clientPid, Signals.SIGCONT);
        }
        type(s, "two\r");
        s.awaitText("two\ntwo\n");
        assertEquals(2, s.count("two"), s.text());

        // this time the client dies with the daemon: its job is free again after the hold
        ProcessHandle.of(clientPid).orElseThrow().destroyForcibly();
        long second = daemonOf(cat);
        ProcessHandle.of(second).orElseThrow().destroyForcibly();
        await().atMost(PtySession.WAIT).until(() -> !Proc.alive(second));
        await().atMost(PtySession.WAIT).until(() -> cli.run("list", "--json").out().contains("\"pid\":" + cat + ","));
        await().atMost(PtySession.WAIT).until(() -> cli.run("continue", "-d", "1").code() == 0);
        assertTrue(Proc.alive(cat));
    }

    /**
     * Timeline: a client attached to cat; cat's runner is frozen (SIGSTOP), as a runner slow to
     * come back on a loaded machine; the daemon is killed; the next daemon's wait for surviving
     * runners ends without cat (list says it has not come back yet), and the returning client's continue
     * waits on for its own job's runner (the daemon log says so) instead of being told it is
     * gone; the runner is let go on, cat is adopted, and the client goes on typing to it.
     */
    @Test
    @Slow
    void aReturningClientWaitsForARunnerThatIsSlowToComeBack() throws Exception {
        PtySession s = attachedCat();
        long cat = jobPid("cat");
        long runner = ProcessHandle.of(cat).flatMap(ProcessHandle::parent).orElseThrow().pid();
        long daemon = daemonOf(cat);
        Path daemonLog = runtime.resolve("job-security/daemon.log");
        Processes.kill(runner, Signals.SIGSTOP);
        try {
            ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
            // the settle is over without cat: list says it is on its way, not "No jobs found"
            Cli.Result list = cli.run("list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(!list.out().contains("No jobs found") && !list.out().contains("cat"), list.toString());
            assertTrue(list.err().contains("job 1 has not come back yet"), list.toString());
            await().atMost(PtySession.WAIT).until(() -> Files.readString(daemonLog)
                    .contains("a returning client waits for the runner of job 1"));
        } finally {
            Processes.kill(runner, Signals.SIGCONT);
        }
        type(s, "two\r");
        s.awaitText("two\ntwo\n");
        assertEquals(2, s.count("two"), s.text());
        assertTrue(Proc.alive(s.pid()), s.text());
    }

    /**
     * Timeline: two jobs switch to the alternate screen, as vi does, and say when they are asked
     * to redraw (SIGWINCH); a client is attached to the first, the second runs detached. The
     * daemon is killed: the next one reads from the jobs' logs that both are full-screen, so the
     * returning client's job and the second, continued from another terminal, are both asked to
     * redraw what the user's terminal no longer shows.
     */
    @Test
    void fullScreenJobsAreRedrawnAfterAKilledDaemon() throws Exception {
        String fullScreen = "trap 'echo redrawn' WINCH; printf '\\033[?1049h'; echo ready; while :; do sleep 0.05; done";
        PtySession attached = client("run", "sh", "-c", fullScreen);
        attached.awaitRawMode();
        attached.awaitText("ready");
        Cli.Result detached = cli.run("run", "-d", "sh", "-c", fullScreen);
        assertEquals(0, detached.code(), detached.toString());
        await().atMost(PtySession.WAIT).until(() -> cli.run("log", "2").out().contains("ready"));
        assertEquals(0, attached.count("redrawn"), attached.text());

        long daemon = Leftovers.daemons(runtime).getFirst();
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        attached.awaitText("redrawn");

        PtySession other = client("continue", "2");
        other.awaitText("redrawn");
    }

    /**
     * Timeline: a client is attached to a job that prints numbered lines, fast; the daemon is
     * killed in the middle; the client reattaches and the job goes on to its last line and
     * exits. What the client showed and what the job's log holds are each in order, no line
     * twice, and what is missing is one stretch at the kill: for the client no more than the
     * 64 KB that README allows a crash to cost an attached job.
     */
    @Test
    void aFloodAcrossAKilledDaemonStaysInOrderAndLosesAtMostTheBudget() throws Exception {
        int last = 60000;
        PtySession s = client("run", "sh", "-c", "i=0; while [ $i -lt " + last
                + " ]; do i=$((i+1)); echo $i; [ $((i % 200)) -eq 0 ] && sleep 0.01; done; exit 0");
        s.awaitText("\n5000\n");
        long daemon = Leftovers.daemons(runtime).getFirst();
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        assertEquals(0, s.awaitExit(), s.text());
        long missing = NumberedLines.missingBytes(s.text(), last);
        assertTrue(missing <= 64 * 1024, "client missed " + missing + " bytes");

        // the job is collected with its client's exit: its log file stays, one for both daemons
        List<Path> logs;
        try (var files = Files.list(user.state().resolve("job-security"))) {
            logs = files.filter(f -> f.getFileName().toString().endsWith("-job1.log")).toList();
        }
        assertEquals(1, logs.size(), logs.toString());
        NumberedLines.missingBytes(Files.readString(logs.getFirst()), last);
    }

    /**
     * Timeline: a detached job counts to 30000 as fast as it can (about 170 KB, within the
     * backlog) and nobody reads it; restart-server twice (the job goes on, its output so far
     * handed from daemon to runner to daemon, the rest waiting in the pty); then it is told to
     * stop, and continue -o reads every number from 1 on, none missing, none twice.
     */
    @Test
    void restartServerLosesNoByte() throws Exception {
        Path stop = tmp.resolve("stop");
        long pid = cli.run("run", "-d", "sh", "-c",
                "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); echo $i; done; while [ ! -e " + stop
                        + " ]; do sleep 0.05; done; echo end").startedPid();
        for (int round = 0; round < 2; round++) {
            long old = daemonOf(pid);
            Cli.Result r = cli.run("restart-server");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("1 job kept"), r.toString());
            assertTrue(!Proc.alive(old) && Proc.alive(pid));
        }
        Files.createFile(stop);
        Cli.Result out = cli.run("continue", "-o", "1");
        assertEquals(0, out.code(), out.toString());
        String[] lines = out.out().replace("\r", "").split("\n");
        assertEquals("end", lines[lines.length - 1]);
        for (int i = 0; i < lines.length - 1; i++) assertEquals(Integer.toString(i + 1), lines[i], "line " + (i + 1));
        assertEquals(30001, lines.length);
    }

    /** A client attached to cat, past its first echoed line: the job runs and keys reach it. */
    private PtySession attachedCat() throws Exception {
        PtySession s = client("run", "cat");
        s.awaitRawMode();
        type(s, "one\r");
        s.awaitText("one\none\n");
        return s;
    }

    private PtySession client(String... args) throws IOException {
        return user.pty(Jvm.command("jobs.cli.Main", args));
    }

    /** One key at a time, as a person types. */
    private static void type(PtySession s, String keys) throws IOException {
        for (char c : keys.toCharArray()) s.write(c);
    }

    private long jobPid(String command) {
        return Leftovers.find(runtime).stream().filter(p -> Proc.commandLine(p.pid()).equals(command))
                .findFirst().orElseThrow().pid();
    }

    /** The daemon that has the job: its runner's parent (the first daemon) or the one alive now. */
    private long daemonOf(long job) {
        List<Long> daemons = Leftovers.daemons(runtime);
        if (daemons.isEmpty()) throw new AssertionError("no daemon for job " + job);
        return daemons.getFirst();
    }
}
