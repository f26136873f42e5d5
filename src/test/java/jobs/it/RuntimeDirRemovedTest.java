package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jobs.protocol.Event;
import jobs.protocol.Request;
import jobs.testkit.Jvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A /tmp cleaner (or a hasty rm -rf) removes the runtime dir under a running daemon: the daemon
 * binds its socket and takes its lock again, so its jobs stay reachable and no second daemon
 * can start beside it.
 */
@Timeout(120)
class RuntimeDirRemovedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        // read when the daemon object is made, which may be after TestDaemon returns
        System.setProperty("jobs.socket.check.millis", "100");
        daemon = daemons.start(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("jobs.socket.check.millis");
    }

    @Test
    void theDaemonComesBackToItsRemovedDirectory() throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = assertInstanceOf(Event.Background.class, c.run(List.of("sleep", "100"), true)).id();
        }
        try (Stream<Path> files = Files.walk(daemon.paths.dir())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }

        await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (TestClient c = daemon.client()) {
                c.send(new Request.ListJobs());
                return ((Event.JobList) c.readEvent()).jobs().stream().anyMatch(j -> j.id() == id);
            }
        });
        ProcessBuilder pb = new ProcessBuilder(Jvm.command("jobs.cli.Main", "daemon"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", daemon.xdgRuntimeDir().toString());
        Process second = pb.start();
        try {
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!second.waitFor(60, TimeUnit.SECONDS)) throw new IOException("second daemon still running");
            assertEquals("jobs: a daemon is already running\n", out);
            assertEquals(1, second.exitValue());
        } finally {
            second.destroyForcibly();
        }
    }
}
