package jobs.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;
import jobs.posix.Fd;
import jobs.posix.ReceivedDescriptors;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One accepted connection to the daemon (a client's control connection or a runner's). Reads go
 * through a non-blocking {@link Fd} so a parked reader never holds a carrier thread; junixsocket
 * is used only to accept, to check the peer and to attach a descriptor to a frame. Writes of
 * whole frames are serialised here, so threads may send concurrently.
 */
public final class Connection implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final Fd fd;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final InputStream in;
    /** Descriptors that came with frames (a runner's pty master), until taken or closed. */
    private final ReceivedDescriptors received = new ReceivedDescriptors();

    public Connection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        int number = FileDescriptorCast.using(socket.getFileDescriptor()).as(Integer.class);
        this.fd = Fd.borrow(number);
        this.in = new java.io.BufferedInputStream(new FdInputStream(fd, received::keep), 8192);
    }

    public int peerUid() throws IOException {
        return (int) socket.getPeerCredentials().getUid();
    }

    /** The pid of the peer when it connected, from the kernel (SO_PEERCRED). */
    public long peerPid() throws IOException {
        return socket.getPeerCredentials().getPid();
    }

    /** The next frame, or null once the peer has closed. */
    public Message read() throws IOException {
        return Frames.read(in);
    }

    public void send(Message m) throws IOException {
        byte[] frame = Frames.encode(m);
        writeLock.lock();
        try {
            fd.writeFully(frame, 0, frame.length);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends m with a descriptor as SCM_RIGHTS ancillary data on its bytes. The frame is small and
     * goes first on a fresh connection, so the socket buffer has room and the one blocking-style
     * write through junixsocket returns at once.
     */
    public void sendWithDescriptor(Message m, int descriptor) throws IOException {
        byte[] frame = Frames.encode(m);
        writeLock.lock();
        try {
            socket.setOutboundFileDescriptors(FileDescriptorCast.unsafeUsing(descriptor).getFileDescriptor());
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
        } finally {
            // junixsocket puts the socket back in blocking mode for its write
            fd.restoreNonBlocking();
            writeLock.unlock();
        }
    }

    /**
     * Whether the peer has hung up, without waiting: for a daemon thread that only writes to a
     * connection for a long time ({@code jobs wait}) and must not outlive its client. A byte
     * the peer sent meanwhile is consumed; such a connection expects none.
     */
    public boolean peerClosed() {
        try {
            return fd.read(new byte[1], 0, 1, 0) == Fd.EOF;
        } catch (IOException e) {
            return true;
        }
    }

    /** The oldest descriptor that came with a frame read so far (a runner's Adopt brings one), or -1. */
    public int takeDescriptor() {
        return received.take();
    }

    @Override
    public void close() {
        received.close();
        fd.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket whose peer is gone: nothing left to release
        }
    }

    /** Blocking-style stream over a non-blocking descriptor, for the frame reader. */
    private static final class FdInputStream extends InputStream {
        private final Fd fd;
        private final java.util.function.IntConsumer descriptors;

        FdInputStream(Fd fd, java.util.function.IntConsumer descriptors) {
            this.fd = fd;
            this.descriptors = descriptors;
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
            while (true) {
                int n = fd.receive(b, off, len, descriptors);
                if (n == Fd.EOF) return -1;
                if (n > 0) return n;
            }
        }
    }
}
