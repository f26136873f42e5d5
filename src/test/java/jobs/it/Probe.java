package jobs.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jobs.testkit.Proc;

/**
 * What this JVM (which hosts the in-process daemon) holds: descriptors, platform threads, heap,
 * and children left as zombies. Leak tests compare these against a baseline.
 */
final class Probe {
    private Probe() {}

    static int fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Live platform threads, not counting the poll and timeout threads of the test tools. */
    /**
     * Descriptors other than epoll instances: the JDK opens its own virtual-thread pollers
     * lazily, one set per carrier, whenever some earlier test first needs them.
     */
    static int fdsExceptPollers() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.filter(p -> {
                try {
                    return !Files.readSymbolicLink(p).toString().equals("anon_inode:[eventpoll]");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int threads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith("awaitility") && !t.getName().startsWith("junit-jupiter-timeout"))
                .count();
    }

    /** Heap in use after a full collection, in MB. */
    static long heapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    /** Direct children in state Z (exited, never reaped). */
    static List<Long> zombies() {
        return ProcessHandle.current().children()
                .map(ProcessHandle::pid)
                .filter(pid -> Proc.state(pid) == 'Z')
                .toList();
    }

    /** What the open descriptors point at, for a failure message. */
    static String fdTargets() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return p.getFileName() + "->" + Files.readSymbolicLink(p);
                } catch (IOException gone) {
                    return p.getFileName() + "->?";
                }
            }).sorted().toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
