package jobs.bench;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One client connection speaking the wire protocol, so that one driver process can hold many
 * jobs (50 detached, 100 attached) without a client JVM each.
 */
final class Wire implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final BlockingQueue<Long> echoes = new LinkedBlockingQueue<>();
    private FileOutputStream data;
    private FileInputStream dataIn;

    private Wire(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(1024);
    }

    static Wire connect(Path socketPath) throws IOException {
        return new Wire(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath)));
    }

    Event send(Request r) throws IOException {
        Frames.write(socket.getOutputStream(), r);
        Message m = Frames.read(socket.getInputStream());
        if (m instanceof Event.Running) {
            FileDescriptor[] fds = socket.getReceivedFileDescriptors();
            if (fds == null || fds.length != 1) throw new IOException("Running came without a data socket");
            data = new FileOutputStream(fds[0]);
            dataIn = new FileInputStream(fds[0]);
            Thread.ofPlatform().daemon().name("data").start(this::readData);
        }
        return (Event) m;
    }

    Event run(List<String> command, Map<String, String> env, boolean detached) throws IOException {
        return send(new Request.Run(command, env, "/", 24, 80, detached));
    }

    private void readData() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = dataIn.read(buf)) > 0) {
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) if (buf[i] == PtyProbe.KEY) echoes.add(now);
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    long echo(long timeoutMillis) throws IOException, InterruptedException {
        echoes.clear();
        long t0 = System.nanoTime();
        data.write(PtyProbe.KEY);
        Long at = echoes.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        return at == null ? -1 : at - t0;
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
