package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.config.Settings;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.JobInfo.JobStateName;
import jobs.protocol.Request;
import jobs.testkit.Jvm;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults seen through the real CLI ({@code jobs.cli.Main} in a pty, or piped) against an
 * in-process daemon: a client killed with SIGKILL, a runner killed under an attached client,
 * and commands that cannot be run.
 */
@Timeout(180)
class CliFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = daemons.start(tmp);
    }

    @Test
    void aClientKilledWithSigkillLeavesItsJobRunningInTheBackground() throws Exception {
        JobInfo job;
        try (PtySession cli = cli("run", "cat")) {
            await().atMost(WAIT).until(() -> !listJobs().isEmpty() && listJobs().getFirst().attached());
            cli.write("before\n");
            cli.awaitText(t -> t.contains("before\r\nbefore\r\n"));
            job = listJobs().getFirst();
            ProcessHandle.of(cli.pid()).orElseThrow().destroyForcibly();
            cli.awaitExit();
        }
        await().atMost(WAIT).until(() -> !listJobs().getFirst().attached());
        assertEquals(JobStateName.RUNNING, listJobs().getFirst().state());
        assertTrue(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive).orElse(false));
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(job.id(), false, true, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            c.type("after\n");
            await().atMost(WAIT).until(() -> c.output().contains("after\r\nafter\r\n"));
            c.type("\u0004");
            assertEquals(0, assertInstanceOf(Event.Finished.class, c.readEvent()).exitCode());
        }
    }

    /** The attached user learns that the job was lost and why, in one line; nothing is left. */
    @Test
    void aRunnerKilledUnderAnAttachedClientIsReportedAsLost() throws Exception {
        try (PtySession cli = cli("run", "cat")) {
            await().atMost(WAIT).until(() -> !listJobs().isEmpty() && listJobs().getFirst().attached());
            long pid = listJobs().getFirst().pid();
            ProcessHandle runner = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow();
            assertTrue(runner.info().commandLine().orElse("").contains("__runner"));
            runner.destroyForcibly();
            assertEquals(128 + 9, cli.awaitExit());
            String text = cli.awaitText(t -> t.contains("lost"));
            assertTrue(text.contains("jobs: job 1 lost: its runner died; the job was ended with SIGKILL\r\n"), text);
            assertTrue(!text.contains("Exception"), text);
            await().atMost(WAIT).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        await().atMost(WAIT).until(() -> listJobs().isEmpty());
    }

    @Test
    void aBackgroundJobWhoseRunnerDiedIsListedAsLost() throws Exception {
        long pid;
        try (TestClient c = daemon.client()) {
            pid = assertInstanceOf(Event.Background.class, c.run(List.of("cat"), true)).pid();
        }
        ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().destroyForcibly();
        await().atMost(WAIT).until(() -> listJobs().getFirst().state() == JobStateName.FINISHED);
        Result list = piped("list");
        assertTrue(list.out().contains("Lost - its runner died"), list.out());
        assertEquals("its runner died", listJobs().getFirst().lost());
    }

    @Test
    void commandsThatCannotRunExitWith127Or126AndLeaveNoJob() throws Exception {
        Result missing = piped("run", "no-such-command-xyz");
        assertEquals(127, missing.code());
        assertEquals("jobs: no-such-command-xyz: command not found\n", missing.err());
        Path script = Files.writeString(tmp.resolve("not-executable.sh"), "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Result denied = piped("run", script.toString());
        assertEquals(126, denied.code());
        assertEquals("jobs: " + script + ": permission denied\n", denied.err());
        Result dir = piped("run", tmp.toString());
        assertEquals(126, dir.code(), dir.toString());
        assertEquals(List.of(), listJobs());
    }

    /**
     * Timeline: the runner JVM is SIGKILLed as soon as it appears, long before it could connect
     * back (a JVM start takes hundreds of ms); {@code run} must fail at once with a clear error,
     * not wait out the runner start timeout, and leave no job behind.
     */
    @Test
    void aRunnerThatDiesBeforeConnectingFailsTheRunAtOnce() throws Exception {
        // a runner of the job's own: from a pool, the job would get one that is connected already
        daemon.close();
        daemon = daemons.start(Files.createDirectory(tmp.resolve("no-pool")), Settings.DEFAULTS.withWarmRunners(0));
        Thread killer = Thread.ofPlatform().daemon().start(() -> {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                var runner = ProcessHandle.current().children()
                        .filter(p -> p.info().commandLine().orElse("").contains("__runner")).findFirst();
                if (runner.isPresent()) {
                    runner.get().destroyForcibly();
                    return;
                }
                Thread.onSpinWait();
            }
        });
        long start = System.nanoTime();
        try (TestClient c = daemon.client()) {
            Event answer = c.run(List.of("sleep", "100"));
            Event.Error e = assertInstanceOf(Event.Error.class, answer);
            assertEquals(Event.ErrorKind.SPAWN_FAILED, e.kind());
            assertEquals("sleep: the job's runner did not start", e.message());
        } finally {
            killer.join();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 15, "run took " + seconds + " s to fail");
        assertEquals(List.of(), listJobs());
    }

    // ---- helpers ----

    record Result(int code, String out, String err) {}

    private PtySession cli(String... args) throws IOException {
        return PtySession.start(Jvm.command("jobs.cli.Main", args),
                Map.of("XDG_RUNTIME_DIR", daemon.xdgRuntimeDir().toString()), 80, 24);
    }

    private Result piped(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jvm.command("jobs.cli.Main", args));
        pb.environment().put("XDG_RUNTIME_DIR", daemon.xdgRuntimeDir().toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("client did not finish");
        }
        return new Result(p.exitValue(), out, Files.readString(tmp.resolve("err.txt")));
    }

    private List<JobInfo> listJobs() throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs();
        }
    }
}
