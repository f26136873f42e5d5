package jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jobs.testkit.PtySession;
import jobs.testkit.ThreadDump;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user of jobs of one's own for each test (register it as a field with
 * {@code @RegisterExtension}): private runtime, config, state and home directories, so that
 * each test has its own daemon and a test never touches the real user's. After the test,
 * whatever happened: the end of the daemon's log and its threads if the test failed (while the
 * daemon is still there); then kill-server as users do it, the terminals the test opened are
 * closed, and anything still carrying this user's runtime dir is killed and must be gone.
 */
final class TestUser implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {
    private Path dir;
    private Cli cli;
    private final List<PtySession> sessions = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("jobs-e2e-");
        Files.createDirectory(runtime(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(config());
        Files.createDirectories(state());
        Files.createDirectories(home());
        cli = new Cli(runtime(), config(), state());
    }

    /** A directory for the test's own files; the terminals' working directory. */
    Path dir() {
        return dir;
    }

    /** XDG_RUNTIME_DIR: the daemon's socket, lock and log are under runtime()/job-security. */
    Path runtime() {
        return dir.resolve("xdg");
    }

    /** XDG_CONFIG_HOME: see {@link #settings}. */
    Path config() {
        return dir.resolve("config");
    }

    /** XDG_STATE_HOME: the jobs' output logs are under state()/job-security. */
    Path state() {
        return dir.resolve("state");
    }

    Path home() {
        return dir.resolve("home");
    }

    /** The environment of this user's terminal: the launcher runs this test run's classes. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home().toString());
        env.put("XDG_RUNTIME_DIR", runtime().toString());
        env.put("XDG_CONFIG_HOME", config().toString());
        env.put("XDG_STATE_HOME", state().toString());
        env.put("TERM", "xterm");
        env.put("JOBS_CLASSPATH", System.getProperty("java.class.path"));
        return env;
    }

    /** The CLI's main class in a JVM of its own, without a terminal. */
    Cli cli() {
        return cli;
    }

    /** Lines of this user's jobs.properties, read by each daemon when it starts. */
    void settings(String... lines) throws IOException {
        Path file = Files.createDirectories(config().resolve("jobs")).resolve("jobs.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /** The command in a terminal of this user, 80x24, closed after the test. */
    PtySession pty(List<String> command) throws IOException {
        return pty(dir, env(), command, 80, 24);
    }

    /** The command in a terminal in dir with env, closed after the test. */
    PtySession pty(Path dir, Map<String, String> env, List<String> command, int cols, int rows) throws IOException {
        PtySession s = PtySession.start(dir, env, command, cols, rows);
        sessions.add(s);
        return s;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            DaemonReport.print(context.getDisplayName(), runtime());
            // the clients too: a key that never left one shows as its input thread's state
            for (PtySession s : sessions) {
                if (ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    ThreadDump.print("client", s.pid(), runtime());
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            cli.run("kill-server");
        } finally {
            for (PtySession s : sessions) s.close();
            // runners do not carry the runtime dir in their environment: they go as the daemon's children
            for (ProcessHandle p : Leftovers.find(runtime())) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            Leftovers.awaitNone(runtime());
            delete(dir);
        }
    }

    // what a test made unreadable to check a refusal may stay: it is under /tmp, and not a process
    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException leftInTmp) {
            System.out.println("could not delete " + dir + ": " + leftInTmp);
        }
    }
}
