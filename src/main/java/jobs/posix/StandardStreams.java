package jobs.posix;

import static jobs.posix.Native.INT;
import static jobs.posix.Native.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The runner's stdin, stdout and stderr are the job's terminal (pty4j opened them so). The
 * daemon learns that a job's output is complete when the pty master reads EOF, which is once no
 * process holds the terminal open: a runner that keeps it until its JVM has exited makes every
 * job's end tens of milliseconds late. Pointing them at /dev/null gives the terminal up at once.
 */
public final class StandardStreams {
    private static final int O_RDWR = 2;

    // open(2) and dup2(2): the shapes of pipe2 and kill, so linking them costs next to nothing
    private static final MethodHandle OPEN = Native.withErrno("open", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle DUP2 = Native.withErrno("dup2", FunctionDescriptor.of(INT, INT, INT));

    private StandardStreams() {}

    /**
     * Links and first calls the downcalls ahead of time (a warm runner's idle moment), not on the
     * job's way out: an interpreted runner's first call of a downcall spins its invokers, some
     * 30 ms between the job's exit and its report. dup2 of a descriptor onto itself changes nothing.
     */
    public static void prepare() throws IOException {
        dupDevNull(true);
    }

    /** Points descriptors 0, 1 and 2 at /dev/null. */
    public static void toDevNull() throws IOException {
        dupDevNull(false);
    }

    /** Opens /dev/null and dup2s it onto 0, 1 and 2, or only onto itself for a rehearsal. */
    private static void dupDevNull(boolean ontoItself) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom("/dev/null"), O_RDWR);
            if (fd < 0) throw Native.error("open /dev/null", Native.errno(errno));
            try {
                for (int target : ontoItself ? new int[] {fd} : new int[] {0, 1, 2}) {
                    if ((ontoItself || fd != target) && (int) DUP2.invokeExact(errno, fd, target) < 0) {
                        throw Native.error("dup2", Native.errno(errno));
                    }
                }
            } finally {
                if (ontoItself || fd > 2) Fd.closeRaw(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
