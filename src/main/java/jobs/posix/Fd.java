package jobs.posix;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.function.IntConsumer;

/**
 * A native descriptor in non-blocking mode that virtual threads can read and write without
 * pinning a carrier: on EAGAIN the caller parks until the {@link Poller} reports it ready.
 *
 * <p>Contract: at most one reader and one writer at a time. {@link #close} may come from any
 * thread; a parked reader or writer then wakes and sees EOF or an IOException. The number is
 * released only after the last call in progress has left the kernel, so it can never be
 * reused under a racing read.
 */
public final class Fd implements Closeable {
    /** {@link #read} result: the peer closed (or, for a pty master, every slave is gone). */
    public static final int EOF = -1;
    /** {@link #read} result: nothing arrived within the timeout, or {@link #wake} was called. */
    public static final int IDLE = 0;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int O_NONBLOCK = 0x800;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SHUT_WR = 1;
    private static final int BUFFER = 64 * 1024;

    // man 2 read, write, close, fcntl, socketpair, shutdown
    private static final MethodHandle READ = Native.withErrno("read",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.PTR, Native.LONG));
    private static final MethodHandle WRITE = Native.withErrno("write",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.PTR, Native.LONG));
    private static final MethodHandle CLOSE = Native.withErrno("close",
            FunctionDescriptor.of(Native.INT, Native.INT));
    private static final MethodHandle FCNTL = Native.LINKER.downcallHandle(
            Native.LIBC.find("fcntl").orElseThrow(),
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKETPAIR = Native.withErrno("socketpair",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.PTR));
    private static final MethodHandle SHUTDOWN = Native.withErrno("shutdown",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));

    private final int fd;
    private final Poller poller = Poller.get();
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment readBuf = arena.allocate(BUFFER);
    private final MemorySegment writeBuf = arena.allocate(BUFFER);
    private final MemorySegment readErr = Native.errnoSlot(arena);
    private final MemorySegment writeErr = Native.errnoSlot(arena);
    private final boolean owned;
    private final Poller.Interest interest;
    private int callsInProgress;
    private boolean closed;

    private Fd(int fd, boolean owned) throws IOException {
        this.fd = fd;
        this.owned = owned;
        setNonBlocking(fd);
        this.interest = poller.register(fd);
    }

    /** Takes ownership of fd: {@link #close} closes it. */
    public static Fd adopt(int fd) throws IOException {
        return new Fd(fd, true);
    }

    /**
     * Uses fd without owning it (a socket that a library object will close). {@link #close}
     * only stops using it. Note that O_NONBLOCK is set on the shared open file description.
     */
    public static Fd borrow(int fd) throws IOException {
        return new Fd(fd, false);
    }

    /** A close-on-exec duplicate that this object owns (for a descriptor a library closes). */
    public static Fd duplicate(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoSlot(a);
            int copy = (int) FCNTL.invokeExact(err, fd, F_DUPFD_CLOEXEC, 3);
            if (copy < 0) throw Native.error("fcntl(F_DUPFD_CLOEXEC)", Native.errno(err));
            return adopt(copy);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A connected pair of Unix stream sockets, both close-on-exec. */
    public static int[] socketPair() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pair = a.allocate(Native.INT, 2);
            MemorySegment err = Native.errnoSlot(a);
            int rc = (int) SOCKETPAIR.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
            if (rc < 0) throw Native.error("socketpair", Native.errno(err));
            return new int[] {pair.getAtIndex(Native.INT, 0), pair.getAtIndex(Native.INT, 1)};
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Closes a raw descriptor that no Fd wraps. */
    public static void closeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(Native.errnoSlot(a), fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public int number() {
        return fd;
    }

    /**
     * Reads up to len bytes, parking while none are available. Returns the count, {@link #EOF},
     * or {@link #IDLE} when timeoutMillis (negative: no limit) passed or {@link #wake} was called.
     * EIO counts as EOF: it is how a pty master reports that every slave descriptor is closed.
     */
    public int read(byte[] b, int off, int len, long timeoutMillis) throws IOException {
        int want = Math.min(len, BUFFER);
        while (true) {
            long n;
            int errno;
            synchronized (this) {
                if (closed) return EOF;
                callsInProgress++;
            }
            try {
                n = (long) READ.invokeExact(readErr, fd, readBuf, (long) want);
                errno = n < 0 ? Native.errno(readErr) : 0;
            } catch (Throwable t) {
                throw Native.rethrow(t);
            } finally {
                leave();
            }
            if (n > 0) {
                MemorySegment.copy(readBuf, Native.BYTE, 0, b, off, (int) n);
                return (int) n;
            }
            if (n == 0 || errno == Errno.EIO || errno == Errno.ECONNRESET) return EOF;
            if (errno == Errno.EINTR) continue;
            if (errno != Errno.EAGAIN) throw Native.error("read", errno);
            if (timeoutMillis == 0) return IDLE;
            if (!awaitReady(false, timeoutMillis)) {
                synchronized (this) {
                    return closed ? EOF : IDLE;
                }
            }
        }
    }

    /**
     * As {@link #read} with no time limit, for a socket: descriptors that come with the bytes
     * (SCM_RIGHTS, close-on-exec) go to fds, which then owns them. A plain read would drop them:
     * the kernel closes what a reader does not take.
     */
    public int receive(byte[] b, int off, int len, IntConsumer fds) throws IOException {
        int want = Math.min(len, BUFFER);
        while (true) {
            Ancillary.Result r;
            synchronized (this) {
                if (closed) return EOF;
                callsInProgress++;
            }
            try {
                r = Ancillary.receive(fd, readBuf, want, Ancillary.MSG_DONTWAIT, fds);
            } finally {
                leave();
            }
            if (r.n() > 0) {
                MemorySegment.copy(readBuf, Native.BYTE, 0, b, off, (int) r.n());
                return (int) r.n();
            }
            if (r.n() == 0 || r.errno() == Errno.ECONNRESET) return EOF;
            if (r.errno() == Errno.EINTR) continue;
            if (r.errno() != Errno.EAGAIN) throw Native.error("recvmsg", r.errno());
            if (!awaitReady(false, -1)) {
                synchronized (this) {
                    if (closed) return EOF;
                }
            }
        }
    }

    /** Reads with no time limit; {@link #IDLE} only after {@link #wake}. */
    public int read(byte[] b, int off, int len) throws IOException {
        return read(b, off, len, -1);
    }

    /** Writes all of it, parking while the peer's buffer is full. */
    public void writeFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int chunk = Math.min(len, BUFFER);
            long n;
            int errno;
            synchronized (this) {
                if (closed) throw new IOException("write: descriptor closed");
                callsInProgress++;
            }
            try {
                MemorySegment.copy(b, off, writeBuf, Native.BYTE, 0, chunk);
                n = (long) WRITE.invokeExact(writeErr, fd, writeBuf, (long) chunk);
                errno = n < 0 ? Native.errno(writeErr) : 0;
            } catch (Throwable t) {
                throw Native.rethrow(t);
            } finally {
                leave();
            }
            if (n > 0) {
                off += (int) n;
                len -= (int) n;
            } else if (errno == Errno.EAGAIN) {
                synchronized (this) {
                    if (closed) throw new IOException("write: descriptor closed");
                }
                poller.await(interest, fd, true, -1);
            } else if (errno != Errno.EINTR) {
                throw Native.error("write", errno);
            }
        }
    }

    private boolean awaitReady(boolean write, long timeoutMillis) throws IOException {
        synchronized (this) {
            if (closed) return false;
        }
        return poller.await(interest, fd, write, timeoutMillis);
    }

    /**
     * Puts the descriptor back in non-blocking mode after a library that shares it (junixsocket,
     * when it sends a descriptor) switched it to blocking: a blocking read would pin a carrier.
     */
    public void restoreNonBlocking() throws IOException {
        setNonBlocking(fd);
    }

    /** Makes a reader parked in {@link #read} return {@link #IDLE} so it can look around. */
    public void wake() {
        poller.wake(interest);
    }

    /** Half-closes a socket: the peer reads EOF after everything already written. */
    public void shutdownOutput() {
        synchronized (this) {
            if (closed) return;
            callsInProgress++;
        }
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) SHUTDOWN.invokeExact(Native.errnoSlot(a), fd, SHUT_WR);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            leave();
        }
    }

    @Override
    public void close() {
        boolean closeNow;
        synchronized (this) {
            if (closed) return;
            closed = true;
            closeNow = callsInProgress == 0;
        }
        poller.unregister(fd, interest);
        if (closeNow) release();
    }

    private void leave() {
        boolean closeNow;
        synchronized (this) {
            callsInProgress--;
            closeNow = closed && callsInProgress == 0;
        }
        if (closeNow) release();
    }

    private void release() {
        if (owned) closeRaw(fd);
    }

    private static void setNonBlocking(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoSlot(a);
            int flags = (int) FCNTL.invokeExact(err, fd, F_GETFL, 0);
            if (flags < 0) throw Native.error("fcntl(F_GETFL)", Native.errno(err));
            int rc = (int) FCNTL.invokeExact(err, fd, F_SETFL, flags | O_NONBLOCK);
            if (rc < 0) throw Native.error("fcntl(F_SETFL)", Native.errno(err));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
