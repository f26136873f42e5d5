package jobs.posix;

import static jobs.posix.Native.INT;
import static jobs.posix.Native.PTR;
import static jobs.posix.Native.SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * posix_spawn(3) with the set-up a job needs. The posix_spawn family returns its error number
 * instead of setting errno, so these handles capture nothing. Its handles are created on first
 * use only: the daemon never spawns, and each handle costs start-up time.
 */
final class Spawner {
    private static final short SETPGROUP = 0x02;
    private static final short SETSIGDEF = 0x04;
    private static final short SETSIGMASK = 0x08;
    // glibc's opaque types are 80 and 336 bytes on x86-64; sigset_t is 128
    private static final long FILE_ACTIONS_SIZE = 512;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    // used by glibc's threads (SIGCANCEL, SIGSETXID): sigaddset refuses them
    private static final int GLIBC_SIGNAL_1 = 32;
    private static final int GLIBC_SIGNAL_2 = 33;

    private static final FunctionDescriptor ONE_PTR = FunctionDescriptor.of(INT, PTR);
    private static final FunctionDescriptor PTR_INT = FunctionDescriptor.of(INT, PTR, INT);
    private static final FunctionDescriptor PTR_PTR = FunctionDescriptor.of(INT, PTR, PTR);
    private static final MethodHandle SPAWN =
            Native.plain("posix_spawn", FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, PTR));
    private static final MethodHandle FA_INIT = Native.plain("posix_spawn_file_actions_init", ONE_PTR);
    private static final MethodHandle FA_DESTROY = Native.plain("posix_spawn_file_actions_destroy", ONE_PTR);
    // glibc >= 2.35: the child becomes the terminal's foreground group before exec, so it can
    // never read the terminal as a background group (which would stop it with SIGTTIN)
    private static final MethodHandle FA_TCSETPGRP =
            Native.plain("posix_spawn_file_actions_addtcsetpgrp_np", PTR_INT);
    // glibc >= 2.34: the JVM's own descriptors must not leak into the job
    private static final MethodHandle FA_CLOSEFROM =
            Native.plain("posix_spawn_file_actions_addclosefrom_np", PTR_INT);
    private static final MethodHandle FA_CHDIR = Native.plain("posix_spawn_file_actions_addchdir_np", PTR_PTR);
    private static final MethodHandle ATTR_INIT = Native.plain("posix_spawnattr_init", ONE_PTR);
    private static final MethodHandle ATTR_DESTROY = Native.plain("posix_spawnattr_destroy", ONE_PTR);
    private static final MethodHandle ATTR_FLAGS =
            Native.plain("posix_spawnattr_setflags", FunctionDescriptor.of(INT, PTR, SHORT));
    private static final MethodHandle ATTR_PGROUP = Native.plain("posix_spawnattr_setpgroup", PTR_INT);
    private static final MethodHandle ATTR_SIGDEFAULT = Native.plain("posix_spawnattr_setsigdefault", PTR_PTR);
    private static final MethodHandle ATTR_SIGMASK = Native.plain("posix_spawnattr_setsigmask", PTR_PTR);
    private static final MethodHandle SIGEMPTYSET = Native.plain("sigemptyset", ONE_PTR);
    private static final MethodHandle SIGADDSET = Native.plain("sigaddset", PTR_INT);

    private Spawner() {}

    static long spawn(String path, List<String> argv, Map<String, String> env, Path cwd, boolean foreground)
            throws SpawnException {
        return spawn(path, argv, env, cwd, foreground, false);
    }

    /**
     * Goes through everything spawn does but the spawn itself, so that a runner waiting for its
     * job has already paid for creating and linking these handles (100-200 ms) before it has one.
     */
    static void prepare() throws SpawnException {
        spawn("/", List.of("/"), Map.of(), Path.of("/"), true, true);
    }

    private static long spawn(String path, List<String> argv, Map<String, String> env, Path cwd, boolean foreground,
                              boolean dryRun) throws SpawnException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fa = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fa));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
                try {
                    fileActions(arena, fa, cwd, foreground);
                    attributes(arena, attr);
                    MemorySegment pid = arena.allocate(INT);
                    MemorySegment file = arena.allocateFrom(path);
                    MemorySegment args = strings(arena, argv);
                    MemorySegment envp = strings(arena, environment(env));
                    if (dryRun) return 0;
                    int r = (int) SPAWN.invokeExact(pid, file, fa, attr, args, envp);
                    check("posix_spawn", r);
                    return pid.get(INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(fa);
            }
        } catch (SpawnException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void fileActions(Arena arena, MemorySegment fa, Path cwd, boolean foreground) throws Throwable {
        if (cwd != null) {
            check("posix_spawn_file_actions_addchdir_np",
                    (int) FA_CHDIR.invokeExact(fa, arena.allocateFrom(cwd.toString())));
        }
        if (foreground) {
            check("posix_spawn_file_actions_addtcsetpgrp_np", (int) FA_TCSETPGRP.invokeExact(fa, 0));
        }
        check("posix_spawn_file_actions_addclosefrom_np", (int) FA_CLOSEFROM.invokeExact(fa, 3));
    }

    // pty4j starts us with SIGQUIT blocked and the runner ignores job-control signals: none of
    // that may reach the job, so every signal gets its default action and the mask is emptied
    private static void attributes(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment all = arena.allocate(SIGSET_SIZE, 8);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(all));
        for (int sig = 1; sig <= 64; sig++) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP || sig == GLIBC_SIGNAL_1 || sig == GLIBC_SIGNAL_2) {
                continue;
            }
            check("sigaddset", (int) SIGADDSET.invokeExact(all, sig) == 0 ? 0 : Errno.EINVAL);
        }
        MemorySegment none = arena.allocate(SIGSET_SIZE, 8);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(none));
        check("posix_spawnattr_setsigdefault", (int) ATTR_SIGDEFAULT.invokeExact(attr, all));
        check("posix_spawnattr_setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, none));
        check("posix_spawnattr_setpgroup", (int) ATTR_PGROUP.invokeExact(attr, 0));
        check("posix_spawnattr_setflags",
                (int) ATTR_FLAGS.invokeExact(attr, (short) (SETPGROUP | SETSIGDEF | SETSIGMASK)));
    }

    private static List<String> environment(Map<String, String> env) {
        if (env == null) return List.of();
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((k, v) -> {
            if (k != null && v != null) entries.add(k + "=" + v);
        });
        return entries;
    }

    /** A NULL-terminated char*[] as execve wants for argv and envp. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(PTR, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(PTR, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(PTR, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String call, int result) throws SpawnException {
        if (result != 0) throw new SpawnException(call, result);
    }
}
