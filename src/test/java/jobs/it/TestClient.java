package jobs.it;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Speaks the wire protocol as the CLI does, but keeps everything for assertions: the events in
 * order and every byte that arrived on the data socket.
 */
final class TestClient implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuffer output = new StringBuffer();
    private volatile boolean dataEof;
    private FileOutputStream data;
    private Thread dataReader;
    private boolean readsData = true;

    private TestClient(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(1024);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static TestClient connect(RuntimePaths paths) throws IOException {
        return new TestClient(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(paths.socket())));
    }

    void send(Message m) throws IOException {
        Frames.write(out, m);
    }

    /** The next event; when it is Running, the data socket is picked up and read from then on. */
    Event readEvent() throws IOException {
        Message m = Frames.read(in);
        if (m == null) return null;
        Event e = (Event) m;
        if (e instanceof Event.Running) {
            FileDescriptor[] fds = socket.getReceivedFileDescriptors();
            if (fds == null || fds.length != 1) throw new IOException("Running came without a data socket");
            startData(fds[0]);
        }
        return e;
    }

    /** From now on, a data socket that arrives is never read: a client that stopped reading. */
    TestClient notReading() {
        readsData = false;
        return this;
    }

    private void startData(FileDescriptor fd) {
        data = new FileOutputStream(fd);
        if (!readsData) return;
        FileInputStream dataIn = new FileInputStream(fd);
        dataReader = Thread.ofPlatform().daemon().name("test-data").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = dataIn.read(buf)) > 0) {
                    output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException ignored) {
                // closed by the test
            }
            dataEof = true;
        });
    }

    void type(String keys) throws IOException {
        data.write(keys.getBytes(StandardCharsets.ISO_8859_1));
        data.flush();
    }

    String output() {
        return output.toString();
    }

    boolean dataEof() {
        return dataEof;
    }

    Event run(List<String> command) throws IOException {
        return run(command, false);
    }

    Event run(List<String> command, boolean detached) throws IOException {
        send(new Request.Run(command, Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"), "TERM", "xterm"),
                System.getProperty("user.dir"), 24, 80, detached));
        return readEvent();
    }

    @Override
    public void close() {
        try {
            if (data != null) data.close();
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
