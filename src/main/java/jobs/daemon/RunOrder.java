package jobs.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.job.JobSpec;
import jobs.posix.WinSize;
import jobs.protocol.JobNames;
import jobs.protocol.Request;

/**
 * A Run request as the daemon carries it out: checked by {@link #invalid}, the defaults filled
 * in, the window within what a pty can be given.
 */
record RunOrder(List<String> command, Map<String, String> env, Path cwd, int rows, int cols, String name,
                boolean detached) {
    /** struct winsize holds unsigned shorts; no real terminal comes near this. */
    private static final int MAX_WINDOW = 10_000;

    /** What the job is, once it has its id. */
    JobSpec spec(int id) {
        return new JobSpec(id, command, env, cwd, rows, cols, name);
    }

    /** As {@link #of(Request.Run, WinSize)}, with the window the request names. */
    static RunOrder of(Request.Run r) {
        return of(r, new WinSize(r.rows(), r.cols()));
    }

    /**
     * Only for a request that {@link #invalid} passed: Path.of would throw on a NUL. The window
     * is the request's, or its terminal's (see ClientTerminals).
     */
    static RunOrder of(Request.Run r, WinSize window) {
        return new RunOrder(r.command(), r.env() == null ? Map.of() : r.env(),
                r.cwd() == null ? Path.of("/") : Path.of(r.cwd()),
                window.rows() > 0 ? Math.min(window.rows(), MAX_WINDOW) : 24,
                window.cols() > 0 ? Math.min(window.cols(), MAX_WINDOW) : 80,
                r.name(), r.detached());
    }

    /**
     * Why a Run request cannot be carried out as sent, or null. Everything here would otherwise
     * fail later, in a runner or in posix_spawn, where the client can no longer be told why.
     */
    static String invalid(Request.Run r) {
        List<String> command = r.command();
        if (command == null || command.isEmpty() || command.stream().anyMatch(s -> s == null || s.indexOf('\0') >= 0)) {
            return "no command to run";
        }
        if (r.env() != null) {
            for (Map.Entry<String, String> e : r.env().entrySet()) {
                String k = e.getKey();
                String v = e.getValue();
                if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0
                        || v == null || v.indexOf('\0') >= 0) {
                    return "malformed environment variable " + k;
                }
            }
        }
        if (r.cwd() != null && (r.cwd().indexOf('\0') >= 0 || !r.cwd().startsWith("/"))) {
            return "working directory " + r.cwd() + " is not an absolute path";
        }
        if (r.name() != null && JobNames.problem(r.name()) != null) {
            return "bad name '" + r.name() + "': " + JobNames.problem(r.name());
        }
        return null;
    }

    /** The word the user typed to name the program: what refusals speak of. */
    String program() {
        return command.getFirst();
    }

    /** The environment stays out of logs. */
    @Override
    public String toString() {
        return "RunOrder" + command + (name == null ? "" : " named " + name);
    }
}
