package jobs.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The client's terminal: is it one, how big is it, and raw mode. Linux x86-64 glibc layouts:
 * {@code struct termios} is 60 bytes (c_lflag at offset 12, c_cc[32] at 17), {@code struct winsize}
 * is four unsigned shorts.
 */
public final class Terminal {
    static final int TERMIOS_BYTES = 64;
    static final long LFLAG_OFFSET = 12;
    private static final long CC_OFFSET = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSTI = 0x5412;
    /** Lets typed-ahead keys survive the switch, unlike TCSAFLUSH. */
    static final int TCSADRAIN = 1;

    /** isatty(3): https://man7.org/linux/man-pages/man3/isatty.3.html */
    private static final MethodHandle ISATTY = Native.withErrno("isatty",
            FunctionDescriptor.of(Native.INT, Native.INT));
    /** ioctl(2) is variadic: the request's argument must be passed as a variadic pointer. */
    private static final MethodHandle IOCTL = Native.LINKER.downcallHandle(
            Native.LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(Native.INT, Native.INT, Native.LONG, Native.PTR),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    /** tcgetattr(3), tcsetattr(3), cfmakeraw(3): https://man7.org/linux/man-pages/man3/termios.3.html */
    private static final MethodHandle TCGETATTR = Native.withErrno("tcgetattr",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR));
    private static final MethodHandle TCSETATTR = Native.withErrno("tcsetattr",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.PTR));
    private static final MethodHandle CFMAKERAW = Native.plain("cfmakeraw",
            FunctionDescriptor.ofVoid(Native.PTR));

    private Terminal() {}

    public static boolean isatty(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            // 0 with ENOTTY or EBADF both mean "not a terminal we can use"
            return (int) ISATTY.invokeExact(Native.errnoSlot(arena), fd) == 1;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The size of the terminal on fd, or empty when fd is not a terminal (or reports 0x0). */
    public static Optional<WinSize> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8, 8);
            MemorySegment errno = Native.errnoSlot(arena);
            int rc = (int) IOCTL.invokeExact(errno, fd, TIOCGWINSZ, ws);
            if (rc != 0) return Optional.empty();
            int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
            int cols = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
            return rows > 0 && cols > 0 ? Optional.of(new WinSize(rows, cols)) : Optional.empty();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Pushes bytes back into the terminal's input queue (TIOCSTI), as if typed again, so keys read
     * ahead by a client that is about to exit reach the shell. Returns false where the kernel
     * refuses it (dev.tty.legacy_tiocsti=0 without CAP_SYS_ADMIN): those keys are then lost, as
     * they would be without this.
     */
    public static boolean pushInput(int fd, byte[] b, int off, int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(1);
            MemorySegment errno = Native.errnoSlot(arena);
            for (int i = off; i < off + len; i++) {
                c.set(ValueLayout.JAVA_BYTE, 0, b[i]);
                if ((int) IOCTL.invokeExact(errno, fd, TIOCSTI, c) != 0) return false;
            }
            return true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Puts the terminal on fd in raw mode: no echo, no line editing, and ISIG off so that Ctrl-C,
     * Ctrl-Z and Ctrl-\ travel as bytes to the job's own terminal, whose line discipline turns them
     * into signals for the job. VMIN=1, VTIME=0: a read returns as soon as one key is there.
     */
    public static RawMode enterRaw(int fd) throws IOException {
        byte[] saved = getattr(fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            t.copyFrom(MemorySegment.ofArray(saved));
            CFMAKERAW.invokeExact(t);
            t.set(ValueLayout.JAVA_BYTE, CC_OFFSET + VMIN, (byte) 1);
            t.set(ValueLayout.JAVA_BYTE, CC_OFFSET + VTIME, (byte) 0);
            setattr(fd, t);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return new RawMode(fd, saved);
    }

    /** c_lflag of the terminal on fd, for tests and diagnostics. */
    static int lflag(int fd) throws IOException {
        return MemorySegment.ofArray(getattr(fd)).get(ValueLayout.JAVA_INT_UNALIGNED, LFLAG_OFFSET);
    }

    static byte[] getattr(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            MemorySegment errno = Native.errnoSlot(arena);
            int rc = (int) TCGETATTR.invokeExact(errno, fd, t);
            if (rc != 0) throw Native.error("tcgetattr", Native.errno(errno));
            return t.toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void setattr(int fd, byte[] termios) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            t.copyFrom(MemorySegment.ofArray(termios));
            setattr(fd, t);
        }
    }

    private static void setattr(int fd, MemorySegment t) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            int rc = (int) TCSETATTR.invokeExact(errno, fd, TCSADRAIN, t);
            if (rc != 0) throw Native.error("tcsetattr", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
