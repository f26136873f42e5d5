package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Request;
import jobs.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon process killed with SIGKILL while it holds a running and a stopped job and a
 * warm runner (the stopped one is the case e2e.DaemonKillTest does not cover; the start race
 * lives there too). Runners outlive a killed daemon only as orphans of init, no longer our
 * descendants, so every pid seen is remembered and killed at the end, whatever happened.
 */
@Timeout(180)
class DaemonCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path tmp;
    Path xdg;
    RuntimePaths paths;
    final List<Long> seen = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        xdg = tmp.resolve("rt");
        Files.createDirectory(xdg, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        paths = new RuntimePaths(xdg.resolve("job-security"));
    }

    @AfterEach
    void cleanUp() {
        try (TestClient c = TestClient.connect(paths)) {
            c.send(new Request.KillServer());
            c.readEvent();
        } catch (IOException none) {
            // no daemon left
        }
        daemonsOf(xdg).forEach(seen::add);
        for (long pid : seen) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(WAIT).until(() -> seen.stream().noneMatch(Proc::alive));
        TestDaemon.Processes.killDescendants();
    }

    @Test
    void killedDaemonHangsUpEveryJobAndANewOneStarts() throws Exception {
        Process daemon = startDaemon();
        seen.add(daemon.pid());
        long sleeping;
        long stopped;
        try (TestClient c = TestClient.connect(paths)) {
            sleeping = assertInstanceOf(Event.Background.class, c.run(List.of("sleep", "100"), true)).pid();
        }
        try (TestClient c = TestClient.connect(paths)) {
            stopped = assertInstanceOf(Event.Running.class, c.run(List.of("cat"))).pid();
            c.type("\u001a");
            assertInstanceOf(Event.Stopped.class, c.readEvent());
        }
        List<Long> runners = new ArrayList<>(List.of(parent(sleeping), parent(stopped)));
        seen.addAll(List.of(sleeping, stopped));
        seen.addAll(runners);
        assertEquals('T', Proc.state(stopped));
        // the pool's runner that waits for the next job (or is still starting) must go too
        List<Long> warm = await().atMost(WAIT).until(() -> warmRunners(daemon), l -> !l.isEmpty());
        seen.addAll(warm);
        runners.addAll(warm);

        daemon.destroyForcibly(); // SIGKILL
        assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> !Proc.alive(sleeping) && !Proc.alive(stopped));
        await().atMost(WAIT).until(() -> runners.stream().noneMatch(Proc::alive));
        assertTrue(Files.exists(paths.socket()), "the dead daemon's socket stays behind");
        assertTrue(Files.exists(paths.lock()));

        Process second = startDaemon();
        seen.add(second.pid());
        try (TestClient c = TestClient.connect(paths)) {
            c.send(new Request.ListJobs());
            assertEquals(List.of(), assertInstanceOf(Event.JobList.class, c.readEvent()).jobs());
        }
        try (TestClient c = TestClient.connect(paths)) {
            assertInstanceOf(Event.Running.class, c.run(List.of("true")));
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
    }

    private Process startDaemon() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(JvmCommand.daemon(List.of()))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("daemon.out").toFile());
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        Process p = pb.start();
        await().atMost(WAIT).until(() -> {
            if (!p.isAlive()) throw new AssertionError("daemon exited: " + read(tmp.resolve("daemon.out")));
            try (TestClient c = TestClient.connect(paths)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return p;
    }

    private static List<Long> warmRunners(Process daemon) {
        return daemon.descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("__runner warm"))
                .map(ProcessHandle::pid)
                .toList();
    }

    private static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    }

    /** Live daemon processes whose environment names this runtime dir, our descendants or not. */
    static List<Long> daemonsOf(Path xdg) {
        String mark = "XDG_RUNTIME_DIR=" + xdg;
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(JvmCommand.MAIN + " daemon"))
                .filter(h -> read(Path.of("/proc", Long.toString(h.pid()), "environ")).contains(mark + "\0"))
                .filter(h -> Proc.alive(h.pid()))
                .map(ProcessHandle::pid)
                .toList();
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
