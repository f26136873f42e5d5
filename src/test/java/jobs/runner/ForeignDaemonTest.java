package jobs.runner;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import jobs.config.RuntimePaths;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner hands its job's pty only to a daemon of its own uid: a "daemon" listening as
 * {@code nobody} (setpriv) where the runner looks is refused before it gets a byte.
 */
@Timeout(60)
class ForeignDaemonTest {
    /** Listens on the path as the uid it runs as, accepts one connection and holds it. */
    private static final String SERVER = """
            use IO::Socket::UNIX;
            my $l = IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die "listen: $!\\n";
            my $c = $l->accept; sleep 20;
            """;

    @TempDir
    Path tmp;

    @Test
    void aDaemonOfAnotherUidGetsNothing() throws Exception {
        assumeTrue(RuntimePaths.currentUid() == 0, "needs root to run a daemon as nobody");
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = dir.resolve("sock");
        Process nobody = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "perl", "-e", SERVER, socket.toString()).redirectErrorStream(true).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));
            IOException refused = assertThrows(IOException.class, () -> DaemonLink.connectOwn(socket).close());
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            // the same socket is fine for a runner that does not check: the refusal is the uid's
            DaemonLink.connect(socket).close();
        } finally {
            nobody.destroyForcibly().waitFor();
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
