package jobs.runner;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import jobs.config.RuntimePaths;
import jobs.posix.UnixSocket;
import jobs.protocol.Frames;
import jobs.protocol.Message;

/**
 * The runner's connection to the daemon. One thread reads while another writes; writes are
 * serialised here so frames from the waiter and the reader never interleave. It is a native
 * socket rather than the JDK's channel because the job's pty master travels over it: the daemon
 * sends it with Start, and the runner hands it to the next daemon with Adopt.
 */
final class DaemonLink implements AutoCloseable {
    private final UnixSocket socket;
    private final InputStream in;
    private final Object writeLock = new Object();
    private boolean closed; // guarded by writeLock

    private DaemonLink(UnixSocket socket) {
        this.socket = socket;
        this.in = new BufferedInputStream(new SocketIn(socket), 8192);
    }

    static DaemonLink connect(Path path) throws IOException {
        return new DaemonLink(UnixSocket.connect(path));
    }

    /**
     * As connect, to a daemon that must prove to be of our uid before it gets our job's pty: the
     * socket's directory is private, but a runner that is about to hand its job over checks the
     * peer itself (a daemon of root's, say, has no business with it).
     */
    static DaemonLink connectOwn(Path path) throws IOException {
        UnixSocket s = UnixSocket.connect(path);
        try {
            int peer = s.peerUid();
            if (peer != RuntimePaths.currentUid()) throw new IOException("daemon of uid " + peer + " refused");
            return new DaemonLink(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The next frame, or null when the daemon closed the connection. */
    Message read() throws IOException {
        return Frames.read(in);
    }

    /** The descriptor that came with the frames read so far (the pty master with Start), or -1. */
    int takeDescriptor() {
        return socket.takeDescriptor();
    }

    void send(Message m) throws IOException {
        send(m, -1);
    }

    /** Sends m with descriptor attached (SCM_RIGHTS) unless it is negative. */
    void send(Message m, int descriptor) throws IOException {
        byte[] frame = Frames.encode(m);
        synchronized (writeLock) {
            if (closed) throw new IOException("link closed");
            socket.write(frame, 0, frame.length, descriptor);
        }
    }

    /** Wakes a reader with end-of-file; the descriptor stays until {@link #close}. */
    void shutdown() {
        socket.shutdown();
    }

    /** Only once no thread reads: a writer is kept out by the lock. */
    @Override
    public void close() {
        synchronized (writeLock) {
            closed = true;
            socket.close();
        }
    }

    private static final class SocketIn extends InputStream {
        private final UnixSocket socket;

        SocketIn(UnixSocket socket) {
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            return socket.read(b, off, len);
        }
    }
}
