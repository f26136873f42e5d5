package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as users get it: started by the CLI as a separate process, then killed with SIGKILL.
 * Its jobs must be hung up as when a terminal closes, and the next `jobs run` must start a fresh
 * daemon past the stale socket and lock file. Also: two clients racing to start it get one.
 */
@Timeout(180)
class DaemonCrashTest {
    @TempDir
    Path tmp;
    private Path runtime;

    @BeforeEach
    void privateRuntime() throws IOException {
        runtime = Files.createDirectory(tmp.resolve("rt"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        cli("kill-server");
        for (ProcessHandle p : ourProcesses()) p.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> ourProcesses().isEmpty());
    }

    @Test
    void killedDaemonTakesItsJobsWithItAndANewOneStarts() throws Exception {
        long running = pidOf(cli("run", "-d", "sleep", "100"));
        long other = pidOf(cli("run", "-d", "sh", "-c", "sleep 200"));
        ProcessHandle daemon = daemon().orElseThrow();
        assertTrue(ProcessHandle.of(running).isPresent());

        daemon.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !daemon.isAlive());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ProcessHandle.of(running).map(p -> !p.isAlive()).orElse(true)
                        && ProcessHandle.of(other).map(p -> !p.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(30)).until(() -> ourProcesses().isEmpty());
        assertTrue(Files.exists(runtime.resolve("job-security/sock")), "the stale socket is left behind");

        String out = cli("run", "sh", "-c", "echo fresh-daemon");
        assertTrue(out.contains("fresh-daemon"), out);
        assertTrue(daemon().isPresent());
        assertTrue(cli("list").contains("No jobs found"), "the new daemon starts empty");
    }

    @Test
    void racingClientsStartExactlyOneDaemon() throws Exception {
        List<Process> racers = new ArrayList<>();
        for (int i = 0; i < 3; i++) racers.add(start("run", "-d", "sleep", "100"));
        for (Process p : racers) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(1, ourProcesses().stream().filter(DaemonCrashTest::isDaemon).count());
        String list = cli("list");
        assertEquals(3, list.lines().filter(l -> l.contains("sleep 100")).count(), list);
    }

    private Optional<ProcessHandle> daemon() {
        return ourProcesses().stream().filter(DaemonCrashTest::isDaemon).findFirst();
    }

    private static boolean isDaemon(ProcessHandle p) {
        return p.info().arguments().map(a -> String.join(" ", a).contains("jobs.cli.Main daemon")).orElse(false);
    }

    /** Daemons and runners whose environment or arguments name this test's runtime directory. */
    private List<ProcessHandle> ourProcesses() {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String env = Files.readString(Path.of("/proc/" + p.pid() + "/environ"), StandardCharsets.ISO_8859_1);
                String cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
                if (p.isAlive() && (env.contains(runtime.toString()) || cmd.contains(runtime.toString()))) found.add(p);
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile, or not ours to read
            }
        });
        return found;
    }

    private static long pidOf(String runDetachedOutput) {
        Matcher m = Pattern.compile("\\[(\\d+)] (\\d+)").matcher(runDetachedOutput);
        assertTrue(m.find(), runDetachedOutput);
        return Long.parseLong(m.group(2));
    }

    private String cli(String... args) throws Exception {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "jobs.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        return pb.start();
    }
}
