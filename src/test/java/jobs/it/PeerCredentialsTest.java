package jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jobs.config.RuntimePaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Only the daemon's own uid may talk to it, even when the path to its socket is open: a client
 * running as {@code nobody} (setpriv) is hung up on before it gets a single byte.
 */
@Timeout(120)
class PeerCredentialsTest {
    /** Sends ListJobs and prints what comes back: "reply" or "closed". */
    private static final String CLIENT = """
            use IO::Socket::UNIX;
            $SIG{PIPE} = 'IGNORE'; # the daemon may hang up before the request is written
            my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!\\n";
            my $json = '{"type":"Request.ListJobs","v":1}';
            print $s pack("N", length $json) . $json;
            my $n = read($s, my $buf, 4);
            print(($n && $n == 4) ? "reply\\n" : "closed\\n");
            """;

    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    TestDaemon daemon;
    final List<Path> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        daemon = daemons.start(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        for (Path p : opened) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void anotherUidIsHungUpOn() throws Exception {
        assumeTrue(RuntimePaths.currentUid() == 0, "needs root to run a client as nobody");
        Path socket = daemon.paths.socket();
        // let nobody reach the socket: every directory on the way becomes searchable
        for (Path p = socket.getParent(); p.startsWith(tmp.getParent()) && !p.equals(tmp.getParent()); p = p.getParent()) {
            opened.add(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertEquals("reply", client(List.of(), socket), "the probe itself must work for our own uid");
        assertEquals("closed", client(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"), socket));
    }

    /**
     * A process of the daemon's own uid that poses as a surviving runner (any descriptor, a made
     * up token) adopts nothing: no Adopted, and the id stays free. One of another uid is hung up
     * on before that (above).
     */
    @Test
    void aForgedRunnerIsNotAdopted() throws Exception {
        Path socket = daemon.paths.socket();
        org.newsclub.net.unix.AFUNIXSocketPair<?> pair = org.newsclub.net.unix.AFUNIXSocketPair.open();
        try (jobs.posix.UnixSocket s = jobs.posix.UnixSocket.connect(socket)) {
            int fd = org.newsclub.net.unix.FileDescriptorCast.using(pair.getSocket1().getFileDescriptor()).as(Integer.class);
            byte[] frame = jobs.protocol.Frames.encode(new jobs.protocol.RunnerMessage.Adopt(5, "00".repeat(32),
                    List.of("sleep", "1"), null, 1, jobs.protocol.RunnerMessage.ReportKind.RUNNING, null, null, null, false, 0));
            s.write(frame, 0, frame.length, fd);
            assertEquals(-1, s.read(new byte[64], 0, 64), "the daemon must hang up without a word");
        } finally {
            pair.getSocket1().close();
            pair.getSocket2().close();
        }
        try (TestClient c = TestClient.connect(daemon.paths)) {
            c.send(new jobs.protocol.Request.ListJobs());
            assertEquals(List.of(), ((jobs.protocol.Event.JobList) c.readEvent()).jobs());
        }
    }

    private static String client(List<String> prefix, Path socket) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("perl", "-e", CLIENT, socket.toString()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IOException("client hung");
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
