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
 * The client's terminal: is it one, how big is it, and raw mode. Everything goes through one
 * downcall, ioctl(2): linking a downcall costs tens of milliseconds of a client's start, and calls
 * of one shape share one link. So termios is the kernel's {@code struct termios} (TCGETS/TCSETSW,
 * what glibc's tcgetattr and tcsetattr(TCSADRAIN) do underneath): c_lflag at offset 12, c_cc[19]
 * at 17; {@code struct winsize} is four unsigned shorts.
 */
public final class Terminal {
    static final int TERMIOS_BYTES = 64;
    private static final long IFLAG_OFFSET = 0;
    private static final long OFLAG_OFFSET = 4;
    private static final long CFLAG_OFFSET = 8;
    static final long LFLAG_OFFSET = 12;
    private static final long CC_OFFSET = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final long TCGETS = 0x5401;
    /** TCSETS after the output drains: lets typed-ahead keys survive the switch, unlike TCSETSF. */
    private static final long TCSETSW = 0x5403;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSTI = 0x5412;
    private static final long TIOCSWINSZ = 0x5414;

    // what cfmakeraw(3) clears and sets (asm-generic/termbits.h)
    private static final int RAW_IFLAG_OFF = 0x1 | 0x2 | 0x8 | 0x20 | 0x40 | 0x80 | 0x100 | 0x400;
    private static final int OPOST = 0x1;
    private static final int RAW_LFLAG_OFF = 0x8 | 0x40 | 0x2 | 0x1 | 0x8000; // ECHO ECHONL ICANON ISIG IEXTEN
    private static final int CSIZE = 0x30;
    private static final int PARENB = 0x100;
    private static final int CS8 = 0x30;

    /** ioctl(2) is variadic: the request's argument must be passed as a variadic pointer. */
    private static final MethodHandle IOCTL = Native.LINKER.downcallHandle(
            Native.LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(Native.INT, Native.INT, Native.LONG, Native.PTR),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    private Terminal() {}

    /** isatty(3) does the same: a descriptor is a terminal when TCGETS works on it. */
    public static boolean isatty(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            // ENOTTY and EBADF both mean "not a terminal we can use"
            return (int) IOCTL.invokeExact(Native.errnoSlot(arena), fd, TCGETS, t) == 0;
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
     * Sets the size of the terminal whose master (or slave) is fd; the kernel sends SIGWINCH to
     * its foreground group. For a pty whose pty4j handle is gone (a job adopted after a restart).
     */
    public static void resize(int fd, int rows, int cols) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8, 8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) cols);
            MemorySegment errno = Native.errnoSlot(arena);
            if ((int) IOCTL.invokeExact(errno, fd, TIOCSWINSZ, ws) != 0) {
                throw Native.error("ioctl(TIOCSWINSZ)", Native.errno(errno));
            }
        } catch (IOException e) {
            throw e;
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
     * The flags are cfmakeraw(3)'s, set here rather than by a second downcall.
     */
    public static RawMode enterRaw(int fd) throws IOException {
        byte[] saved = getattr(fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            t.copyFrom(MemorySegment.ofArray(saved));
            clear(t, IFLAG_OFFSET, RAW_IFLAG_OFF);
            clear(t, OFLAG_OFFSET, OPOST);
            clear(t, LFLAG_OFFSET, RAW_LFLAG_OFF);
            clear(t, CFLAG_OFFSET, CSIZE | PARENB);
            t.set(ValueLayout.JAVA_INT, CFLAG_OFFSET, t.get(ValueLayout.JAVA_INT, CFLAG_OFFSET) | CS8);
            t.set(ValueLayout.JAVA_BYTE, CC_OFFSET + VMIN, (byte) 1);
            t.set(ValueLayout.JAVA_BYTE, CC_OFFSET + VTIME, (byte) 0);
            setattr(fd, t);
        }
        return new RawMode(fd, saved);
    }

    private static void clear(MemorySegment t, long offset, int bits) {
        t.set(ValueLayout.JAVA_INT, offset, t.get(ValueLayout.JAVA_INT, offset) & ~bits);
    }

    /** c_lflag of the terminal on fd, for tests and diagnostics. */
    static int lflag(int fd) throws IOException {
        return MemorySegment.ofArray(getattr(fd)).get(ValueLayout.JAVA_INT_UNALIGNED, LFLAG_OFFSET);
    }

    static byte[] getattr(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_BYTES, 8);
            MemorySegment errno = Native.errnoSlot(arena);
            int rc = (int) IOCTL.invokeExact(errno, fd, TCGETS, t);
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
            int rc = (int) IOCTL.invokeExact(errno, fd, TCSETSW, t);
            if (rc != 0) throw Native.error("tcsetattr", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
