package jobs.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

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
                Message first = Frames.read(control.getInputStream());
                requests.add((Request) first);
                script.play(this, control, (Request) first);
            } catch (Throwable t) {
                if (!server.isClosed()) failures.add(t);
            }
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
