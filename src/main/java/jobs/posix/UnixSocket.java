package jobs.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A blocking Unix stream socket for a runner's link to its daemon: platform threads only (every
 * call blocks in the kernel). Unlike the JDK's channel it carries descriptors (the job's pty
 * master goes both ways over it) and tells the peer's uid.
 *
 * <p>One reader and one writer may use it at once. {@link #shutdown} wakes a blocked reader with
 * end-of-file; {@link #close} releases the descriptor and must come after both have left.
 */
public final class UnixSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SO_PEERCRED = 17;
    private static final int SHUT_RDWR = 2;
    private static final int SUN_PATH = 108;
    private static final int BUFFER = 16 * 1024;

    // man 2 socket, connect, getsockopt, shutdown, close
    private static final MethodHandle SOCKET = Native.withErrno("socket",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT));
    private static final MethodHandle CONNECT = Native.withErrno("connect",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR, Native.INT));
    private static final MethodHandle GETSOCKOPT = Native.withErrno("getsockopt",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.PTR, Native.PTR));
    private static final MethodHandle SHUTDOWN = Native.withErrno("shutdown",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));

    private final int fd;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment readBuf = arena.allocate(BUFFER);
    private final MemorySegment writeBuf = arena.allocate(BUFFER);
    private final ReceivedDescriptors received = new ReceivedDescriptors();
    private boolean closed;

    private UnixSocket(int fd) {
        this.fd = fd;
    }

    public static UnixSocket connect(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) throw new IOException("connect: socket path too long");
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoSlot(a);
            fd = (int) SOCKET.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw Native.error("socket", Native.errno(err));
            MemorySegment addr = a.allocate(2 + SUN_PATH, 8);
            addr.set(Native.SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, addr, Native.BYTE, 2, name.length);
            int rc;
            do {
                rc = (int) CONNECT.invokeExact(err, fd, addr, 2 + SUN_PATH);
            } while (rc < 0 && Native.errno(err) == Errno.EINTR);
            if (rc < 0) {
                int errno = Native.errno(err);
                Fd.closeRaw(fd);
                throw Native.error("connect", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return new UnixSocket(fd);
    }

    /** The uid of the process at the other end, as the kernel saw it when the connection was made. */
    public int peerUid() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cred = a.allocate(12, 4); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            MemorySegment len = a.allocate(Native.INT);
            len.set(Native.INT, 0, 12);
            MemorySegment err = Native.errnoSlot(a);
            int rc = (int) GETSOCKOPT.invokeExact(err, fd, Ancillary.SOL_SOCKET, SO_PEERCRED, cred, len);
            if (rc < 0) throw Native.error("getsockopt(SO_PEERCRED)", Native.errno(err));
            return cred.get(Native.INT, 4);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Reads at least one byte, or returns -1 at end-of-file. Descriptors that come along are kept. */
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            Ancillary.Result r = Ancillary.receive(fd, readBuf, Math.min(len, BUFFER), 0, received::keep);
            if (r.n() > 0) {
                MemorySegment.copy(readBuf, Native.BYTE, 0, b, off, (int) r.n());
                return (int) r.n();
            }
            if (r.n() == 0 || r.errno() == Errno.ECONNRESET) return -1;
            if (r.errno() != Errno.EINTR) throw Native.error("recvmsg", r.errno());
        }
    }

    /** Writes all of it; descriptor (if not negative) travels with the first byte. */
    public void write(byte[] b, int off, int len, int descriptor) throws IOException {
        int attach = descriptor;
        while (len > 0) {
            int chunk = Math.min(len, BUFFER);
            MemorySegment.copy(b, off, writeBuf, Native.BYTE, 0, chunk);
            Ancillary.Result r = Ancillary.send(fd, writeBuf, chunk, attach, 0);
            if (r.n() > 0) {
                off += (int) r.n();
                len -= (int) r.n();
                attach = -1;
            } else if (r.errno() != Errno.EINTR) {
                throw Native.error("sendmsg", r.errno());
            }
        }
    }

    /** The oldest descriptor received and not yet taken (now the caller's), or -1. */
    public int takeDescriptor() {
        return received.take();
    }

    /** Ends the connection both ways; a reader blocked in {@link #read} sees end-of-file. */
    public void shutdown() {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) SHUTDOWN.invokeExact(Native.errnoSlot(a), fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        received.close();
        Fd.closeRaw(fd);
    }
}
