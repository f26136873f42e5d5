package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jobs.testkit.Jvm;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of connections that never say anything, against a real daemon whose descriptor limit
 * is low (256, set with prlimit on the client that starts it): the daemon must neither die of
 * EMFILE nor lock out real clients, and must give every descriptor back afterwards.
 */
@Timeout(180)
class ConnectionFloodTest {
    private static final int LIMIT = 256;

    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Path runtime;
    Cli cli;

    @BeforeEach
    void setUp() {
        tmp = user.dir();
        runtime = user.runtime();
        cli = user.cli();
    }

    @Test
    void idleConnectionsBeyondTheDescriptorLimitNeitherKillNorBlockTheDaemon() throws Exception {
        List<String> argv = new ArrayList<>(List.of("prlimit", "--nofile=" + LIMIT));
        argv.addAll(Jvm.command("jobs.cli.Main", "run", "-d", "sleep", "1000"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("XDG_CONFIG_HOME", user.config().toString());
        pb.environment().put("XDG_STATE_HOME", user.state().toString());
        long job = Cli.finish(pb.start()).startedPid();
        long daemon = ProcessHandle.of(job).flatMap(ProcessHandle::parent).flatMap(ProcessHandle::parent)
                .orElseThrow().pid();
        assertTrue(Files.readString(Path.of("/proc", Long.toString(daemon), "limits"))
                .matches("(?s).*Max open files\\s+" + LIMIT + "\\s+" + LIMIT + ".*"));
        int fdsBefore = fds(daemon);

        List<SocketChannel> flood = new ArrayList<>();
        try {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(runtime.resolve("job-security/sock"));
            for (int i = 0; i < 2 * LIMIT; i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                flood.add(ch);
                try {
                    ch.connect(address);
                } catch (IOException refused) {
                    break; // the daemon is gone: the checks below say so
                }
            }
            Cli.Result list = cli.run("list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("sleep 1000"), list.out());
            Cli.Result run = cli.run("run", "-d", "sh", "-c", "exit 0");
            assertEquals(0, run.code(), run.toString());
        } finally {
            for (SocketChannel ch : flood) ch.close();
        }
        assertTrue(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false), "the daemon died");
        await().atMost(PtySession.WAIT).until(() -> fds(daemon) <= fdsBefore + 2);
    }

    private static int fds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) s.count();
        }
    }
}
