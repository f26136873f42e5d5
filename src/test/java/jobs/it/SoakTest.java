package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jobs.protocol.Event;
import jobs.protocol.Request;
import jobs.testkit.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long use: 500 run/stop/continue/exit cycles against one daemon, two at a time as from two
 * terminals (so that one cycle's runner JVM starts while the other cycle runs), after which its
 * descriptors, threads and heap are back where they started and no child is a zombie.
 */
@Slow
@Timeout(900)
class SoakTest {
    private static final int CYCLES = 500;
    private static final int LANES = 2;

    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();

    @Test
    void manyCyclesLeakNothing() throws Exception {
        TestDaemon daemon = daemons.start(tmp);
        warmUp(daemon);
        long fds = openDescriptors();
        long threads = liveThreads();
        long heap = usedHeapAfterGc();

        List<Future<?>> lanes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(LANES)) {
            for (int lane = 0; lane < LANES; lane++) {
                int first = lane;
                lanes.add(pool.submit(() -> {
                    for (int i = first; i < CYCLES; i += LANES) cycle(daemon, i);
                    return null;
                }));
            }
        }
        for (Future<?> lane : lanes) lane.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> listIsEmpty(daemon));
        await().atMost(Duration.ofSeconds(30)).until(() -> openDescriptors() <= fds + 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> liveThreads() <= threads + 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> zombies() == 0);
        assertTrue(openDescriptors() <= fds + 2, "descriptors: " + fds + " -> " + openDescriptors());
        assertEquals(0, zombies());
        long grown = usedHeapAfterGc() - heap;
        assertTrue(grown < 32L << 20, "heap grew by " + (grown >> 20) + " MB");
    }

    /** Run cat, stop it with Ctrl-Z, continue it, see it echo, end it with EOF. */
    private static void cycle(TestDaemon daemon, int i) throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = ((Event.Running) c.run(List.of("cat"))).id();
            c.type("\u001a");
            assertInstanceOf(Event.Stopped.class, c.readEvent(), "cycle " + i);
        }
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, false, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            String word = "w" + i;
            c.type(word + "\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> c.output().contains(word + "\r\n" + word));
            c.type("\u0004");
            assertInstanceOf(Event.Finished.class, c.readEvent(), "cycle " + i);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void warmUp(TestDaemon daemon) throws IOException {
        try (TestClient c = daemon.client()) {
            c.run(List.of("true"));
            c.readEvent();
        }
    }

    private static boolean listIsEmpty(TestDaemon daemon) throws IOException {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs().isEmpty();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Platform threads of this JVM (virtual threads of ended jobs leave nothing to count). */
    private static long liveThreads() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
    }

    private static long zombies() {
        return ProcessHandle.current().children().filter(p -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
            } catch (IOException gone) {
                return false;
            }
        }).count();
    }
}
