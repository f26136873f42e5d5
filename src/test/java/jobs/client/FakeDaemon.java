package jobs.client;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jobs.posix.Terminal;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A daemon that speaks the client protocol from a script, on a real Unix socket in a private
 * runtime directory: enough to prove the client end to end without the real daemon.
 */
final class FakeDaemon implements AutoCloseable {
    interface Script {
        void play(FakeDaemon daemon, AFUNIXSocket control, Request first) throws Exception;
    }

    /** The daemon's end of a data socket whose other end went to the client. */
    record Data(AFUNIXSocketChannel ours) {
        void write(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) ours.write(b);
        }

        /** Reads until the bytes received so far satisfy the condition; returns them all. */
        String readUntil(java.util.function.Predicate<String> done) throws IOException {
            StringBuilder sb = new StringBuilder();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (!done.test(sb.toString())) {
                b.clear();
                if (ours.read(b) < 0) break;
                sb.append(new String(b.array(), 0, b.position(), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }

        void finish() throws IOException {
            ours.shutdownOutput();
        }
    }

    final Path runtimeDir;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /**
     * The window each Run or Continue asked for, as the real daemon reads it: the request's
     * size, or the size of the terminal whose descriptor came with a request of 0x0.
     */
    final List<WinSize> windows = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Closeable> open = new CopyOnWriteArrayList<>();
    private final AFUNIXServerSocket server;
    private final Thread acceptor;

    FakeDaemon(Path xdgRuntimeDir, Script script) throws IOException {
        this.runtimeDir = xdgRuntimeDir;
        Path dir = Files.createDirectory(xdgRuntimeDir.resolve("job-security"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(dir.resolve("sock")));
        acceptor = new Thread(() -> accept(script), "fake daemon");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(Script script) {
        while (!server.isClosed()) {
            try {
                AFUNIXSocket control = server.accept();
                open.add(control);
                control.setAncillaryReceiveBufferSize(256);
                Message first = Frames.read(control.getInputStream());
                requests.add((Request) first);
                WinSize window = window((Request) first, control);
                if (window != null) windows.add(window);
                script.play(this, control, (Request) first);
            } catch (Throwable t) {
                if (!server.isClosed()) failures.add(t);
            }
        }
    }

    private static WinSize window(Request r, AFUNIXSocket control) throws IOException {
        FileDescriptor[] sent = control.getReceivedFileDescriptors();
        int fd = sent == null || sent.length == 0 ? -1 : FileDescriptorCast.using(sent[0]).as(Integer.class);
        try {
            int rows = r instanceof Request.Run run ? run.rows() : r instanceof Request.Continue c ? c.rows() : -1;
            int cols = r instanceof Request.Run run ? run.cols() : r instanceof Request.Continue c ? c.cols() : -1;
            if (rows < 0) return null;
            if (rows > 0 && cols > 0) return new WinSize(rows, cols);
            return fd < 0 ? WinSize.DEFAULT : Terminal.size(fd).orElse(WinSize.DEFAULT);
        } finally {
            if (sent != null) for (FileDescriptor d : sent) new java.io.FileInputStream(d).close();
        }
    }

    /** Sends Running with the client's end of a new data socket, as the real daemon does. */
    Data attach(AFUNIXSocket control, Event.Running running) throws IOException {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        // closing our copy of the passed end would shut it down for the client too: keep it open
        open.add(pair.getSocket1());
        open.add(pair.getSocket2());
        control.setOutboundFileDescriptors(pair.getSocket2().getFileDescriptor());
        send(control, running);
        return new Data(pair.getSocket1());
    }

    static void send(AFUNIXSocket control, Event e) throws IOException {
        Frames.write(control.getOutputStream(), e);
    }

    /** Collects the frames a client sends on an attached control connection (Resize). */
    void collect(AFUNIXSocket control) {
        Thread t = new Thread(() -> {
            try {
                Message m;
                while ((m = Frames.read(control.getInputStream())) != null) requests.add((Request) m);
            } catch (IOException e) {
                // the client went away
            }
        }, "fake daemon control");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Closeable c : open) c.close();
    }
}
