package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.JobInfo.JobStateName;
import jobs.protocol.Request;
import jobs.testkit.Proc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A runner or a client that dies or stalls costs only itself; the daemon serves on. */
@Timeout(180)
class FaultTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    TestDaemon daemon;
    int fdsBefore;
    int threadsBefore;
    List<String> namesBefore;

    @BeforeEach
    void start() throws Exception {
        daemon = daemons.start(tmp);
        // pty4j's reaper, the poller and the log file start lazily: let them, then count
        try (TestClient c = daemon.client()) {
            c.run(List.of("true"));
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
        await().atMost(WAIT).until(() -> listJobs().isEmpty());
        fdsBefore = Probe.fds();
        threadsBefore = Probe.threads();
        namesBefore = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }

    @Test
    void runnerKilledEndsTheJobAndReleasesEverything() throws Exception {
        try (TestClient c = daemon.client()) {
            Event.Running r = assertInstanceOf(Event.Running.class, c.run(List.of("cat")));
            c.type("x\n");
            await().atMost(WAIT).until(() -> c.output().contains("x\r\nx\r\n"));
            ProcessHandle runner = ProcessHandle.of(r.pid()).orElseThrow().parent().orElseThrow();
            assertTrue(runner.info().commandLine().orElse("").contains("__runner"), runner.info().toString());
            runner.destroyForcibly();
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(Signals.SIGKILL, f.signal());
            await().atMost(WAIT).until(() -> !Proc.alive(r.pid()));
        }
        await().atMost(WAIT).until(() -> listJobs().isEmpty());
        await().atMost(WAIT).alias("descriptors and threads back to baseline")
                .until(() -> released() || report());
        assertEquals(List.of(), Probe.zombies());
        echoes();
    }

    @Test
    void clientVanishingLeavesTheJobRunningInTheBackground() throws Exception {
        int id;
        long pid;
        TestClient c = daemon.client();
        try {
            Event.Running r = assertInstanceOf(Event.Running.class, c.run(List.of("cat")));
            id = r.id();
            pid = r.pid();
            c.type("one\n");
            await().atMost(WAIT).until(() -> c.output().contains("one\r\none\r\n"));
        } finally {
            c.close(); // no word to the daemon: as when the client is killed
        }
        await().atMost(WAIT).until(() -> {
            JobInfo j = listJobs().get(0);
            return !j.attached() && j.state() == JobStateName.RUNNING;
        });
        assertTrue(Proc.alive(pid));
        try (TestClient again = daemon.client()) {
            again.send(new Request.Continue(id, false, true, 24, 80));
            assertInstanceOf(Event.Running.class, again.readEvent());
            again.type("two\n");
            await().atMost(WAIT).until(() -> again.output().contains("two\r\ntwo\r\n"));
            again.type("\u0004");
            assertInstanceOf(Event.Finished.class, again.readEvent());
        }
    }

    /**
     * Timeline: `yes` floods a client that never reads; the pty fills and `yes` blocks while the
     * daemon answers others. The client then leaves: the output goes to the bounded backlog and
     * the daemon's heap stays put while `yes` runs on unattended.
     */
    @Test
    void floodIntoAStalledClientKeepsTheDaemonResponsiveAndBounded() throws Exception {
        int id;
        TestClient slow = daemon.client().notReading();
        try {
            Event.Running r = assertInstanceOf(Event.Running.class, slow.run(List.of("yes")));
            id = r.id();
            await().atMost(WAIT).until(() -> Proc.state(r.pid()) == 'S'); // blocked writing
            assertEquals(1, listJobs().size());
            echoes();
        } finally {
            slow.close();
        }
        await().atMost(WAIT).until(() -> !listJobs().get(0).attached());
        long heap = Probe.heapMb();
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> Probe.heapMb() < heap + 32);
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, true, 24, 80));
            Event.Running r = assertInstanceOf(Event.Running.class, c.readEvent());
            assertTrue(r.droppedBytes() > 0, "the backlog kept everything?");
            c.type("\u0003");
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(Signals.SIGINT, f.signal());
        }
    }

    /**
     * Timeline: a detached job leaves 900 KB in its backlog, far more than a socket holds; a
     * client continues it with its output, takes Running and leaves without reading: the
     * replay cannot be written, and the daemon must see the client gone and let the job go,
     * backlog and all, to the next client.
     */
    @Test
    void aClientThatLeavesBeforeItsReplayIsWrittenLetsTheJobGo() throws Exception {
        int id;
        long pid;
        try (TestClient c = daemon.client()) {
            Event.Background b = assertInstanceOf(Event.Background.class, c.run(List.of("sh", "-c",
                    "head -c 900000 /dev/zero | tr '\\0' x; echo; echo end-of-flood; read x; echo got-$x"), true));
            id = b.id();
            pid = b.pid();
        }
        // the flood is written (the daemon has all of it but what the pty holds): sh waits in read
        await().atMost(WAIT).until(() -> Proc.state(pid) == 'S'
                && ProcessHandle.of(pid).map(p -> p.children().findAny().isEmpty()).orElse(false));
        TestClient slow = daemon.client().notReading();
        try {
            slow.send(new Request.Continue(id, false, true, 24, 80));
            assertInstanceOf(Event.Running.class, slow.readEvent());
        } finally {
            slow.close();
        }
        await().atMost(WAIT).until(() -> !listJobs().get(0).attached());
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, true, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            await().atMost(WAIT).until(() -> c.output().contains("end-of-flood"));
            c.type("yes\n");
            assertInstanceOf(Event.Finished.class, c.readEvent());
            await().atMost(WAIT).until(() -> c.output().contains("got-yes"));
        }
        echoes();
    }

    private boolean released() {
        return Probe.fds() <= fdsBefore && Probe.threads() <= threadsBefore;
    }

    private boolean report() {
        System.out.println("fds " + fdsBefore + " -> " + Probe.fds() + ": " + Probe.fdTargets());
        System.out.println("threads " + threadsBefore + " -> " + Probe.threads() + ": "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> !namesBefore.contains(n)).toList());
        return false;
    }

    private void echoes() throws Exception {
        try (TestClient c = daemon.client()) {
            assertInstanceOf(Event.Running.class, c.run(List.of("cat")));
            c.type("still here\n");
            await().atMost(WAIT).until(() -> c.output().contains("still here\r\nstill here\r\n"));
            c.type("\u0004");
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
    }

    private List<JobInfo> listJobs() throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs();
        }
    }
}
