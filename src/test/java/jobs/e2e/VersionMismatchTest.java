package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client and a daemon of different protocol versions, each side played by hand-made frames of
 * version 1 (the protocol before kill, wait and names) over a real socket: one clear line, no
 * hang, no stack trace, and kill-server, the advice that line gives, works both ways.
 */
@Tag("e2e")
@Timeout(180)
class VersionMismatchTest {
    private static final String ADVICE = "jobs: the daemon is from another version of jobs (protocol 1, this jobs "
            + "speaks 3): run 'jobs kill-server' (it ends the daemon's jobs), then try again\n";

    @RegisterExtension
    final TestUser user = new TestUser();
    Launcher jobs;

    @BeforeEach
    void setUp() {
        jobs = new Launcher(user);
    }

    /** An old client's frames to a new daemon: an answer, a daemon that lives on, and a kill-server it obeys. */
    @Test
    void oldClientNewDaemon() throws Exception {
        jobs.run("run", "-d", "sleep", "300").startedPid();
        Path socket = jobs.runtime.resolve("job-security/sock");
        String answer = exchange(socket, "{\"type\":\"Request.ListJobs\",\"v\":1}");
        assertTrue(answer.contains("\"type\":\"Event.Error\"") && answer.contains("run 'jobs kill-server'"), answer);
        assertEquals(0, jobs.run("list").code());
        assertEquals("{\"type\":\"Event.Done\",\"v\":3}", exchange(socket, "{\"type\":\"Request.KillServer\",\"v\":1}"));
        assertFalse(Files.exists(socket));
    }

    /** A new client against an old daemon: one line and exit 1; kill-server asks again in version 1. */
    @Test
    void newClientOldDaemon() throws Exception {
        Path dir = Files.createDirectory(jobs.runtime.resolve("job-security"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> received = new ArrayList<>();
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(dir.resolve("sock")));
            Thread daemon = Thread.ofPlatform().daemon().start(() -> serveAsVersion1(old, received));
            for (String[] command : List.of(new String[] {"list"}, new String[] {"kill", "1"},
                    new String[] {"wait"}, new String[] {"clean"})) {
                Cli.Result r = jobs.run(command);
                assertEquals(1, r.code(), r.toString());
                assertEquals(ADVICE, r.err());
            }
            Cli.Result kill = jobs.run("kill-server");
            assertEquals(0, kill.code(), kill.toString());
            daemon.join(30_000);
        }
        assertEquals("{\"type\":\"Request.KillServer\",\"v\":1}", received.getLast());
    }

    /** Refuses every frame as a version-1 daemon does, until a version-1 KillServer. */
    private static void serveAsVersion1(ServerSocketChannel server, List<String> received) {
        try {
            while (true) {
                try (SocketChannel c = server.accept()) {
                    String frame = readFrame(Channels.newInputStream(c));
                    synchronized (received) {
                        received.add(frame);
                    }
                    boolean stop = frame.equals("{\"type\":\"Request.KillServer\",\"v\":1}");
                    String reply = stop ? "{\"type\":\"Event.Done\",\"v\":1}"
                            : "{\"kind\":\"BAD_REQUEST\",\"message\":\"protocol version 2 is not 1\",\"type\":\"Event.Error\",\"v\":1}";
                    c.write(frame(reply));
                    if (stop) return;
                }
            }
        } catch (IOException e) {
            // the test is over
        }
    }

    private static String exchange(Path socket, String json) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(frame(json));
            return readFrame(Channels.newInputStream(ch));
        }
    }

    private static ByteBuffer frame(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
    }

    private static String readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] body = new byte[data.readInt()];
        data.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
    }
}
