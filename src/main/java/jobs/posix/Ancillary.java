package jobs.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.function.IntConsumer;

/**
 * sendmsg(2) and recvmsg(2) with SCM_RIGHTS: how a pty master travels between a runner and a
 * daemon. The layouts are LP64 Linux (x86-64 and aarch64 agree): struct msghdr is 56 bytes with
 * msg_iov at 16, msg_iovlen at 24, msg_control at 32, msg_controllen at 40, msg_flags at 48;
 * struct cmsghdr is a size_t length, then level and type, then the data at 16.
 */
final class Ancillary {
    static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** Room for a few descriptors; more than one is never sent, extra ones are closed. */
    private static final int CONTROL_BYTES = 64;

    // man 2 sendmsg, recvmsg
    private static final MethodHandle SENDMSG = Native.withErrno("sendmsg",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.PTR, Native.INT));
    private static final MethodHandle RECVMSG = Native.withErrno("recvmsg",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.PTR, Native.INT));

    private Ancillary() {}

    /** The result of one call: the byte count (or -1) and errno. */
    record Result(long n, int errno) {}

    /**
     * One recvmsg into buf; each descriptor that came with the bytes goes to fds (close-on-exec).
     * Descriptors cut off for lack of room were closed by the kernel.
     */
    static Result receive(int fd, MemorySegment buf, long len, int flags, IntConsumer fds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(Native.PTR, 0, buf);
            iov.set(Native.LONG, 8, len);
            MemorySegment control = a.allocate(CONTROL_BYTES, 8);
            MemorySegment msg = a.allocate(56, 8);
            msg.set(Native.PTR, 16, iov);
            msg.set(Native.LONG, 24, 1L);
            msg.set(Native.PTR, 32, control);
            msg.set(Native.LONG, 40, (long) CONTROL_BYTES);
            MemorySegment err = Native.errnoSlot(a);
            long n = (long) RECVMSG.invokeExact(err, fd, msg, flags | MSG_CMSG_CLOEXEC);
            if (n < 0) return new Result(n, Native.errno(err));
            long controlLen = msg.get(Native.LONG, 40);
            for (long off = 0; off + 16 <= controlLen; ) {
                long cmsgLen = control.get(Native.LONG, off);
                if (cmsgLen < 16) break;
                if (control.get(Native.INT, off + 8) == SOL_SOCKET && control.get(Native.INT, off + 12) == SCM_RIGHTS) {
                    for (long d = off + 16; d + 4 <= off + cmsgLen; d += 4) fds.accept(control.get(Native.INT, d));
                }
                off += (cmsgLen + 7) & ~7L;
            }
            return new Result(n, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** One sendmsg of len bytes of buf, with descriptor attached (negative: none). */
    static Result send(int fd, MemorySegment buf, long len, int descriptor, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(Native.PTR, 0, buf);
            iov.set(Native.LONG, 8, len);
            MemorySegment msg = a.allocate(56, 8);
            msg.set(Native.PTR, 16, iov);
            msg.set(Native.LONG, 24, 1L);
            if (descriptor >= 0) {
                MemorySegment control = a.allocate(24, 8); // CMSG_SPACE(sizeof(int))
                control.set(Native.LONG, 0, 20L);          // CMSG_LEN(sizeof(int))
                control.set(Native.INT, 8, SOL_SOCKET);
                control.set(Native.INT, 12, SCM_RIGHTS);
                control.set(Native.INT, 16, descriptor);
                msg.set(Native.PTR, 32, control);
                msg.set(Native.LONG, 40, 24L);
            }
            MemorySegment err = Native.errnoSlot(a);
            long n = (long) SENDMSG.invokeExact(err, fd, msg, flags | MSG_NOSIGNAL);
            return new Result(n, n < 0 ? Native.errno(err) : 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
