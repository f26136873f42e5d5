package jobs.posix;

import static jobs.posix.Native.INT;
import static jobs.posix.Native.PTR;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Process control for the runner (and the daemon's kills): every call checks its result and turns
 * errno into {@code IOException("kill: ESRCH")}.
 */
public final class Processes {
    private static final int WUNTRACED = 2;
    private static final int WCONTINUED = 8;
    private static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1);
    private static final long SIG_ERR = -1L;

    // getpid(2): cannot fail
    private static final MethodHandle GETPID = Native.plain("getpid", FunctionDescriptor.of(INT));
    // kill(2)
    private static final MethodHandle KILL = Native.withErrno("kill", FunctionDescriptor.of(INT, INT, INT));
    // setsid(2)
    private static final MethodHandle SETSID = Native.withErrno("setsid", FunctionDescriptor.of(INT));
    // tcsetpgrp(3)
    private static final MethodHandle TCSETPGRP =
            Native.withErrno("tcsetpgrp", FunctionDescriptor.of(INT, INT, INT));
    // signal(2): glibc gives it BSD semantics, which is all SIG_IGN needs
    private static final MethodHandle SIGNAL =
            Native.withErrno("signal", FunctionDescriptor.of(PTR, INT, PTR));
    // waitpid(2)
    private static final MethodHandle WAITPID =
            Native.withErrno("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT));
    // isatty(3)
    private static final MethodHandle ISATTY = Native.plain("isatty", FunctionDescriptor.of(INT, INT));

    private Processes() {}

    public static long getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A negative pid signals the process group {@code -pid}. */
    public static void kill(long pid, int signal) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            int r = (int) KILL.invokeExact(errno, Math.toIntExact(pid), signal);
            if (r != 0) throw Native.error("kill", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void setsid() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            int r = (int) SETSID.invokeExact(errno);
            if (r < 0) throw Native.error("setsid", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Makes {@code pgid} the foreground group of the terminal on {@code fd}. */
    public static void tcsetpgrp(int fd, long pgid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            int r = (int) TCSETPGRP.invokeExact(errno, fd, Math.toIntExact(pgid));
            if (r != 0) throw Native.error("tcsetpgrp", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Sets {@code signal} to SIG_IGN in this process. This replaces any handler the JVM installed
     * (SIGINT, SIGQUIT), which is the point for the runner. A spawned child gets default handlers.
     */
    public static void ignoreSignal(int signal) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            MemorySegment r = (MemorySegment) SIGNAL.invokeExact(errno, signal, SIG_IGN);
            if (r.address() == SIG_ERR) throw Native.error("signal", Native.errno(errno));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Blocks until the child changes state: exits, dies, stops or continues. Retries EINTR.
     * Blocks in native code, so call it from a platform thread.
     */
    public static WaitStatus waitpid(long pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSlot(arena);
            MemorySegment status = arena.allocate(INT);
            while (true) {
                int r = (int) WAITPID.invokeExact(errno, Math.toIntExact(pid), status, WUNTRACED | WCONTINUED);
                if (r > 0) return WaitStatus.decode(status.get(INT, 0));
                int e = Native.errno(errno);
                if (r < 0 && e == Errno.EINTR) continue;
                throw Native.error("waitpid", r == 0 ? Errno.ECHILD : e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Starts {@code path} (already resolved: no PATH search) in a new process group with default
     * signal handlers, an empty signal mask and only fds 0-2 of this process. When fd 0 is a
     * terminal the child's group becomes its foreground group before exec. Returns the pid.
     */
    public static long spawn(String path, List<String> argv, Map<String, String> env) throws SpawnException {
        return Spawner.spawn(path, argv, env, null, isatty(0));
    }

    /** Readies spawn ahead of time (see Spawner.prepare); spawns nothing. */
    public static void prepareSpawn() throws SpawnException {
        Spawner.prepare();
    }

    /**
     * As {@link #spawn(String, List, Map)}, in directory {@code cwd} (null: this one) and taking the
     * terminal on fd 0 only when {@code foreground} is set (it must then be a terminal).
     */
    public static long spawn(String path, List<String> argv, Map<String, String> env, Path cwd,
                             boolean foreground) throws SpawnException {
        return Spawner.spawn(path, argv, env, cwd, foreground);
    }
}
