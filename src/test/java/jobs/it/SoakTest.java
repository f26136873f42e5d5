package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jobs.protocol.Event;
import jobs.protocol.Request;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long use: many Ctrl-Z / continue / exit cycles against one daemon, after which its descriptors,
 * platform threads and heap are back where they started and no child is left a zombie.
 *
 * <p>Each job costs a runner JVM start, so the 500 cycles are spread over a few jobs (a runner
 * per job, 50 stop/continue cycles each): 10 run/exit and 500 stop/continue cycles in all.
 */
@Timeout(300)
class SoakTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int JOBS = Integer.getInteger("soak.jobs", 10);
    private static final int CYCLES = Integer.getInteger("soak.cycles", 50);

    @TempDir
    Path tmp;
    TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new TestDaemon(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    @Test
    void stopContinueExitCyclesLeakNothing() throws Exception {
        job(2); // the poller, pty4j's reaper and the log file start lazily: let them, then count
        await().atMost(WAIT).until(() -> listJobs().isEmpty());
        int fds = Probe.fds();
        String fdsAtStart = Probe.fdTargets();
        int threads = Probe.threads();
        int allThreads = allThreads();
        long heap = Probe.heapMb();

        for (int j = 0; j < JOBS; j++) job(CYCLES);

        await().atMost(WAIT).until(() -> listJobs().isEmpty());
        try {
            // polled on this thread: awaitility's own poller would count as a thread
            await().pollInSameThread().atMost(WAIT).until(() -> Probe.fds() <= fds && Probe.threads() <= threads);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fds " + fds + " -> " + Probe.fds() + ", threads " + threads + " -> "
                    + Probe.threads() + "\nbefore: " + fdsAtStart + "\nafter:  " + Probe.fdTargets());
        }
        await().pollInSameThread().atMost(WAIT).until(() -> allThreads() <= allThreads); // virtual ones included
        long heapAfter = Probe.heapMb();
        assertTrue(heapAfter <= heap + 16, "heap " + heap + " MB -> " + heapAfter + " MB");
        await().atMost(WAIT).until(() -> Probe.zombies().isEmpty());
    }

    /** One cat: echo, then cycles of Ctrl-Z and continue (each from a new client), then EOF. */
    private void job(int cycles) throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = assertInstanceOf(Event.Running.class, c.run(List.of("cat"))).id();
            stopAfterEcho(c, "start");
        }
        for (int i = 0; i < cycles; i++) {
            try (TestClient c = daemon.client()) {
                c.send(new Request.Continue(id, false, false, 24, 80));
                assertInstanceOf(Event.Running.class, c.readEvent());
                if (i == cycles - 1) {
                    c.type("\u0004");
                    Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
                    assertEquals(0, f.exitCode());
                } else {
                    stopAfterEcho(c, "c" + i);
                }
            }
        }
    }

    private static void stopAfterEcho(TestClient c, String word) throws Exception {
        c.type(word + "\n");
        await().atMost(WAIT).until(() -> c.output().contains(word + "\r\n" + word + "\r\n"));
        c.type("\u001a");
        assertInstanceOf(Event.Stopped.class, c.readEvent());
    }

    /** Platform and virtual threads, counted in a JSON thread dump (the MXBean sees platform ones only). */
    private int allThreads() throws Exception {
        Path dump = tmp.resolve("threads-" + System.nanoTime() + ".json");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = Files.readString(dump);
        Files.delete(dump);
        return json.split("\"tid\"", -1).length - 1;
    }

    private List<jobs.protocol.JobInfo> listJobs() throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs();
        }
    }
}
