package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import jobs.testkit.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon killed again and again, through the real CLI and real daemon processes, loses no job
 * and leaves its runners no fuller than they were. A class of its own (from DaemonSurvivalTest)
 * so that its minute runs in another test JVM than the other survival tests.
 */
@Slow
class RepeatedDaemonKillTest {
    @RegisterExtension
    final TestUser user = new TestUser();

    /**
     * Timeline, twenty rounds: a short job is started (and a long one every fourth round), and
     * the daemon is killed while another start, of a job that ends a few seconds later, may still
     * be on its way; the next daemon adopts. After every round every long job is listed with its
     * pid; at the end short jobs that ended are reported or gone, and the survivors' runners have
     * as many descriptors and threads as after their first adoption, and no zombie.
     */
    @Test
    @Timeout(600)
    void twentyKillsInARowLoseNoJobAndLeakNothing() throws Exception {
        Cli cli = user.cli();
        List<Long> longJobs = new ArrayList<>();
        Map<Long, String> baseline = new HashMap<>();
        for (int round = 0; round < 20; round++) {
            if (round % 4 == 0) longJobs.add(cli.run("run", "-d", "sleep", Integer.toString(1000 + round)).startedPid());
            cli.run("run", "-d", "sh", "-c", "sleep 0.3; exit 3");
            Process starting = cli.start("run", "-d", "sleep", "3");
            long daemon = onlyDaemon();
            ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
            Cli.finish(starting); // started or refused: either way no job may be half made
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
            await().atMost(PtySession.WAIT).until(() -> {
                String list = cli.run("list", "--json").out();
                return longJobs.stream().allMatch(p -> list.contains("\"pid\":" + p + ","));
            });
            for (long job : longJobs) {
                long runner = ProcessHandle.of(job).flatMap(ProcessHandle::parent).orElseThrow().pid();
                baseline.putIfAbsent(runner, resources(runner));
            }
        }
        for (Map.Entry<Long, String> r : baseline.entrySet()) {
            assertEquals(r.getValue(), resources(r.getKey()), "runner " + r.getKey());
            // its job, and the daemon it started if it was the one: nothing else, and no zombie
            for (ProcessHandle child : ProcessHandle.of(r.getKey()).orElseThrow().children().toList()) {
                long c = child.pid();
                assertTrue(Proc.state(c) != 'Z' && (longJobs.contains(c) || Proc.commandLine(c).endsWith(" daemon")),
                        "runner " + r.getKey() + " has child " + c + " " + Proc.commandLine(c));
            }
        }
        for (long job : longJobs) assertEquals('S', Proc.state(job));
    }

    /**
     * Open descriptors and threads of a process, but for what a JVM adds once and keeps: the jars
     * it opens the first time it loads a class from them (the way back to a daemon is not in the
     * runners' AOT cache), and the process reaper of the runner that started a daemon.
     */
    private static String resources(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long fds;
        try (var all = Files.list(proc.resolve("fd"))) {
            fds = all.filter(fd -> {
                try {
                    return !Files.readSymbolicLink(fd).toString().endsWith(".jar");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
        long threads;
        try (var all = Files.list(proc.resolve("task"))) {
            threads = all.filter(t -> {
                try {
                    return !Files.readString(t.resolve("comm")).startsWith("process reaper");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
        return fds + " fds, " + threads + " threads";
    }

    /** The live daemon: the one the runners started after the last kill. */
    private long onlyDaemon() {
        List<Long> daemons = Leftovers.daemons(user.runtime());
        if (daemons.isEmpty()) throw new AssertionError("no daemon");
        return daemons.getFirst();
    }
}
