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
import jobs.protocol.JobInfo;
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
 * lives there too). The jobs outlive it and a daemon that a runner starts adopts them; the warm
 * runner, which had no job, goes. Runners outlive a killed daemon as orphans of init, no longer
 * our descendants, so every pid seen is remembered and killed at the end, whatever happened.
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
    void killedDaemonLeavesEveryJobToTheNextOne() throws Exception {
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
        // the pool's runner that waits for the next job (or is still starting) has no job to keep;
        // a job's runner may have been a warm one, claimed: its command line still says so
        List<Long> warm = await().atMost(WAIT).until(
                () -> warmRunners(daemon).stream().filter(pid -> !runners.contains(pid)).toList(), l -> !l.isEmpty());
        seen.addAll(warm);

        daemon.destroyForcibly(); // SIGKILL
        assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> warm.stream().noneMatch(Proc::alive));
        assertTrue(Proc.alive(sleeping) && Proc.alive(stopped) && runners.stream().allMatch(Proc::alive));
        assertEquals('T', Proc.state(stopped));

        // nobody starts the next daemon: the runners do
        List<JobInfo> jobs = await().atMost(WAIT).until(this::listOrEmpty, l -> l.size() == 2);
        assertEquals(List.of(1, 2), jobs.stream().map(JobInfo::id).toList());
        assertEquals(List.of(sleeping, stopped), jobs.stream().map(JobInfo::pid).toList());
        assertEquals(List.of(JobInfo.JobStateName.RUNNING, JobInfo.JobStateName.STOPPED),
                jobs.stream().map(JobInfo::state).toList());
        daemonsOf(xdg).forEach(seen::add);

        try (TestClient c = TestClient.connect(paths)) {
            c.send(new Request.Continue(2, false, true, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            c.type("again\r");
            await().atMost(WAIT).until(() -> c.output().contains("again\r\nagain\r\n"));
            c.type("\u0004");
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
        try (TestClient c = TestClient.connect(paths)) {
            Event e = c.run(List.of("true"));
            assertEquals(3, assertInstanceOf(Event.Running.class, e).id());
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
    }

    private List<JobInfo> listOrEmpty() {
        try (TestClient c = TestClient.connect(paths)) {
            c.send(new Request.ListJobs());
            return assertInstanceOf(Event.JobList.class, c.readEvent()).jobs();
        } catch (IOException noDaemonYet) {
            return List.of();
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
