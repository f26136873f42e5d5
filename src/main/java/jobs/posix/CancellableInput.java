package jobs.posix;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Blocking reads of a descriptor the caller does not own (the client's stdin) on one platform
 * thread, which another thread can stop with {@link #cancel}. Two reasons to stop a reader rather
 * than leave it blocked in read(2): keys typed after a session ends belong to the shell and must
 * stay unread, and the JVM delays its exit by 300 ms while any thread is inside a native call.
 *
 * <p>The reader waits in poll(2) on the descriptor and a private pipe; cancel writes to the pipe.
 * A cancel wins over input that is ready at the same moment.
 */
public final class CancellableInput implements Closeable {
    private static final short POLLIN = 0x1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int POLLFD_BYTES = 8; // struct pollfd { int fd; short events; short revents; }
    private static final int BUFFER = 16 * 1024;

    /**
     * One downcall shape for all five calls (man 2 poll, pipe2, read, write, close): the first
     * link of each new shape costs a client's start milliseconds, on the way to the job's first
     * key. Every argument travels as a 64-bit word (pointers by address, the unused ones as 0),
     * which the x86-64 and AArch64 calling conventions pass exactly as the narrower C types; an
     * int result is the low half of the word.
     */
    private static final FunctionDescriptor WORDS =
            FunctionDescriptor.of(Native.LONG, Native.LONG, Native.LONG, Native.LONG);
    private static final MethodHandle POLL = Native.withErrno("poll", WORDS);
    private static final MethodHandle PIPE2 = Native.withErrno("pipe2", WORDS);
    private static final MethodHandle READ = Native.withErrno("read", WORDS);
    private static final MethodHandle WRITE = Native.withErrno("write", WORDS);
    private static final MethodHandle CLOSE = Native.withErrno("close", WORDS);

    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment fds = arena.allocate(POLLFD_BYTES * 2L, 8);
    private final MemorySegment buf = arena.allocate(BUFFER);
    private final MemorySegment readErr = Native.errnoSlot(arena);
    private final MemorySegment wakeErr = Native.errnoSlot(arena);
    private final MemorySegment wakeByte = arena.allocate(1);
    private boolean cancelled;
    private boolean closed;

    private CancellableInput(int fd, int wakeRead, int wakeWrite) {
        this.fd = fd;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        fds.set(Native.INT, 0, fd);
        fds.set(Native.SHORT, 4, POLLIN);
        fds.set(Native.INT, 8, wakeRead);
        fds.set(Native.SHORT, 12, POLLIN);
    }

    public static CancellableInput of(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pair = a.allocate(Native.INT, 2);
            MemorySegment err = Native.errnoSlot(a);
            if ((int) (long) PIPE2.invokeExact(err, pair.address(), (long) O_CLOEXEC, 0L) < 0) {
                throw Native.error("pipe2", Native.errno(err));
            }
            CancellableInput in = new CancellableInput(fd, pair.getAtIndex(Native.INT, 0), pair.getAtIndex(Native.INT, 1));
            in.signal(0);
            return in;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Reads what is there (at least one byte), parking in poll; -1 at end of input or after cancel. */
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            while (true) {
                int ready = (int) (long) POLL.invokeExact(readErr, fds.address(), 2L, -1L);
                if (ready < 0) {
                    int errno = Native.errno(readErr);
                    if (errno == Errno.EINTR) continue; // SIGWINCH and friends
                    throw Native.error("poll", errno);
                }
                if (fds.get(Native.SHORT, 14) != 0) return -1;
                if (fds.get(Native.SHORT, 6) == 0) continue;
                long n = (long) READ.invokeExact(readErr, (long) fd, buf.address(), (long) Math.min(len, BUFFER));
                if (n > 0) {
                    MemorySegment.copy(buf, Native.BYTE, 0, b, off, (int) n);
                    return (int) n;
                }
                if (n == 0) return -1;
                int errno = Native.errno(readErr);
                if (errno == Errno.EINTR || errno == Errno.EAGAIN) continue;
                if (errno == Errno.EIO) return -1; // a terminal that hung up
                throw Native.error("read", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Links the reader's downcalls and calls one, so that a thread of the client's may pay for
     * them before the session needs them.
     */
    public static void prepare() {
        closeQuietly(-1); // EBADF; what counts is that the shape is linked and its invoker made
    }

    private static void closeQuietly(int descriptor) {
        try (Arena a = Arena.ofConfined()) {
            long ignored = (long) CLOSE.invokeExact(Native.errnoSlot(a), (long) descriptor, 0L, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Makes the read in progress, and every later one, return -1 without reading. Idempotent. */
    public synchronized void cancel() {
        if (cancelled || closed) return;
        cancelled = true;
        signal(1);
    }

    /**
     * Writes n bytes to the wake pipe. {@link #of} writes none, so that the first real cancel,
     * on the way out of a session, does not pay for the first invocation of the downcall.
     */
    private void signal(long n) {
        try {
            long ignored = (long) WRITE.invokeExact(wakeErr, (long) wakeWrite, wakeByte.address(), n);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Releases the pipe; call it only once the reading thread is done. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeQuietly(wakeRead);
        closeQuietly(wakeWrite);
    }
}
