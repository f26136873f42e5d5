package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jobs.config.Settings;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import jobs.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's pool of warm runners, against a real daemon: a job that lands in a runner started
 * before it still gets its own environment, directory, PATH and window size; a pool runner that
 * dies is replaced and is never listed; kill-server leaves none behind.
 */
@Timeout(180)
class WarmRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();

    @Test
    void aJobInAWarmRunnerGetsItsOwnEnvironmentDirectoryPathAndSize() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("private bin"));
        Path work = Files.createDirectory(tmp.resolve("work dir"));
        // found only through the job's PATH, which the runner (started with the daemon's) lacks;
        // its parent is the runner that spawned it, whose command line says whether it was warm
        Path probe = bin.resolve("jobs-warm-probe");
        Files.writeString(probe, """
                #!/bin/sh
                echo "[$MY_VAR][$TERM]"
                pwd
                stty size
                tr '\\0' ' ' < /proc/$PPID/cmdline; echo
                """);
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "MY_VAR", "from the job",
                "TERM", "vt100");
        TestDaemon daemon = daemons.start(tmp);
        await().atMost(WAIT).until(() -> connectedWarmRunner().isPresent());
        // a runner connects a moment before the daemon has taken it in: a run in that moment
        // gets a runner of its own, so ask again until one lands in the warm runner
        String out = await().atMost(WAIT).until(() -> {
            try (TestClient c = daemon.client()) {
                c.send(new Request.Run(List.of("jobs-warm-probe"), env, work.toString(), 33, 101, false));
                assertInstanceOf(Event.Running.class, c.readEvent());
                assertEquals(0, assertInstanceOf(Event.Finished.class, c.readEvent()).exitCode());
                await().atMost(WAIT).until(c::dataEof);
                return c.output();
            }
        }, o -> o.contains("__runner warm"));
        assertTrue(out.contains("[from the job][vt100]"), out);
        assertTrue(out.contains(work.toString()), out);
        assertTrue(out.contains("33 101"), out);
    }

    @Test
    void aKilledWarmRunnerIsReplacedAndNeverListed() throws Exception {
        TestDaemon daemon = daemons.start(tmp);
        long first = await().atMost(WAIT).until(this::connectedWarmRunner, Optional::isPresent).orElseThrow();
        assertTrue(list(daemon).isEmpty());
        ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
        long second = await().atMost(WAIT).until(this::connectedWarmRunner,
                p -> p.isPresent() && p.get() != first).orElseThrow();
        assertFalse(Proc.alive(first));
        assertTrue(list(daemon).isEmpty());
        // the replacement serves a job (asked again if a run came just before it was taken in)
        await().atMost(WAIT).until(() -> {
            try (TestClient c = daemon.client()) {
                long pid = assertInstanceOf(Event.Background.class, c.run(List.of("sleep", "100"), true)).pid();
                return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid() == second;
            }
        });
        assertTrue(list(daemon).stream().allMatch(j -> j.state() == JobInfo.JobStateName.RUNNING));
    }

    /**
     * Runners that keep dying are replaced ever more slowly (250 ms, doubling), not in a loop.
     * Timeline: each new runner is killed as soon as it appears; after the fourth death in a row
     * the pool waits 2 s before the fifth start.
     */
    @Test
    void runnersThatKeepDyingAreReplacedWithBackOff() throws Exception {
        TestDaemon daemon = daemons.start(tmp);
        long last = -1;
        long gapNanos = 0;
        for (int death = 1; death <= 5; death++) {
            long previous = last;
            long killedAt = System.nanoTime();
            last = await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> warmRunners().map(ProcessHandle::pid).filter(p -> p != previous).findFirst(),
                            Optional::isPresent).orElseThrow();
            gapNanos = System.nanoTime() - killedAt;
            ProcessHandle.of(last).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertTrue(gapNanos >= Duration.ofMillis(1500).toNanos(), "fifth runner after " + gapNanos / 1_000_000 + " ms");
        assertTrue(list(daemon).isEmpty());
    }

    @Test
    void killServerEndsWaitingWarmRunners() throws Exception {
        TestDaemon daemon = daemons.start(tmp);
        long warm = await().atMost(WAIT).until(this::connectedWarmRunner, Optional::isPresent).orElseThrow();
        killServer(daemon);
        await().atMost(WAIT).until(() -> !Proc.alive(warm));
        await().atMost(WAIT).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void killServerRightAfterStartEndsARunnerStillStarting() throws Exception {
        TestDaemon daemon = daemons.start(tmp);
        killServer(daemon);
        await().atMost(WAIT).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void noPoolWhenItsSizeIsZero() throws Exception {
        TestDaemon daemon = daemons.start(tmp, Settings.DEFAULTS.withWarmRunners(0));
        try (TestClient c = daemon.client()) {
            long pid = assertInstanceOf(Event.Background.class, c.run(List.of("sleep", "100"), true)).pid();
            String runner = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                    .flatMap(p -> p.info().commandLine()).orElseThrow();
            assertFalse(runner.contains("__runner warm"), runner);
        }
        assertEquals(List.of(), warmRunners().toList());
    }

    private static void killServer(TestDaemon daemon) throws IOException {
        try (TestClient k = daemon.client()) {
            k.send(new Request.KillServer());
            assertInstanceOf(Event.Done.class, k.readEvent());
        }
    }

    private static List<JobInfo> list(TestDaemon daemon) throws IOException {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return assertInstanceOf(Event.JobList.class, c.readEvent()).jobs();
        }
    }

    private static Stream<ProcessHandle> warmRunners() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("__runner warm"))
                .filter(p -> Proc.alive(p.pid()));
    }

    /** A warm runner that has connected to the daemon (it holds a socket; before that it has none). */
    private Optional<Long> connectedWarmRunner() {
        return warmRunners().map(ProcessHandle::pid).filter(WarmRunnerTest::holdsSocket).findFirst();
    }

    private static boolean holdsSocket(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
