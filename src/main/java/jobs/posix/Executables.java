package jobs.posix;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds a command the way execvp(3) does, before anything is started: the daemon refuses an
 * unknown command without creating a job, and the runner then spawns the exact file (posix_spawn,
 * not posix_spawnp) so both agree on what runs.
 */
public final class Executables {
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private Executables() {}

    /**
     * A name containing '/' is taken relative to {@code cwd}; otherwise each PATH entry is tried in
     * order, an empty entry meaning {@code cwd}. As execvp does, a candidate that exists but cannot
     * be executed does not stop the search; it is reported only if nothing later is executable.
     */
    public static Lookup resolve(String name, String pathEnv, Path cwd) {
        if (name == null || name.isEmpty()) return new Lookup.NotFound();
        try {
            if (name.indexOf('/') >= 0) {
                Path p = cwd.resolve(name);
                if (!Files.exists(p)) return new Lookup.NotFound();
                return runnable(p) ? new Lookup.Found(p) : new Lookup.NotExecutable(p);
            }
            Path refused = null;
            String path = pathEnv == null ? DEFAULT_PATH : pathEnv;
            for (String dir : path.split(":", -1)) {
                Path p = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(name);
                if (!Files.exists(p)) continue;
                if (runnable(p)) return new Lookup.Found(p);
                if (refused == null) refused = p;
            }
            return refused == null ? new Lookup.NotFound() : new Lookup.NotExecutable(refused);
        } catch (InvalidPathException e) {
            return new Lookup.NotFound();
        }
    }

    // execve refuses directories with EACCES even when their x bit is set (and root passes access(X_OK))
    private static boolean runnable(Path p) {
        return !Files.isDirectory(p) && Files.isExecutable(p);
    }
}
