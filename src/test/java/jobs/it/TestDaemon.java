package jobs.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.daemon.DaemonMain;
import jobs.protocol.Request;

/**
 * A real daemon on a socket in a private temporary directory, running in this JVM, whose jobs
 * run in real ptys under real runner JVMs. close() shuts it down the way users do (kill-server)
 * and then makes sure that no process it started is left, even when a test failed midway.
 */
final class TestDaemon implements AutoCloseable {
    final RuntimePaths paths;
    private final Thread thread;
    private volatile Throwable failure;

    TestDaemon(Path dir) throws IOException {
        this(dir, Settings.DEFAULTS);
    }

    TestDaemon(Path dir, Settings settings) throws IOException {
        Path runtime = dir.resolve("rt");
        Files.createDirectory(runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.paths = new RuntimePaths(runtime.resolve("job-security"));
        paths.ensurePrivate();
        thread = Thread.ofPlatform().name("test-daemon").start(() -> {
            try {
                DaemonMain.serve(paths, settings);
            } catch (Throwable t) {
                failure = t;
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(this::answers);
    }

    /** The XDG_RUNTIME_DIR that makes a CLI process talk to this daemon. */
    Path xdgRuntimeDir() {
        return paths.dir().getParent();
    }

    private boolean answers() {
        if (failure != null) throw new IllegalStateException("daemon failed", failure);
        try (TestClient c = TestClient.connect(paths)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    TestClient client() throws IOException {
        return TestClient.connect(paths);
    }

    @Override
    public void close() throws Exception {
        try (TestClient c = client()) {
            c.send(new Request.KillServer());
            c.readEvent();
        } catch (IOException alreadyGone) {
            // a test may have stopped it
        }
        thread.join(20_000);
        Processes.killDescendants();
    }

    static final class Processes {
        static void killDescendants() {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
        }
    }
}
