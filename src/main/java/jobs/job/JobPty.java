package jobs.job;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jobs.posix.Fd;

/**
 * A job's pseudo-terminal, with the job's runner as its session leader. pty4j makes the pty and
 * starts the runner; its streams are never used, because reading them pins a carrier thread:
 * the daemon reads and writes its own non-blocking duplicate of the master instead.
 */
final class JobPty {
    private final PtyProcess runner;
    private final Fd master;
    /** The size the attached client asked for: what {@link #restoreSize} goes back to. */
    private volatile int[] size;

    private JobPty(PtyProcess runner, Fd master, int rows, int cols) {
        this.runner = runner;
        this.master = master;
        this.size = new int[] {rows, cols};
    }

    static JobPty start(List<String> runnerArgv, Map<String, String> jobEnv, Path cwd, int rows, int cols)
            throws IOException {
        PtyProcess p = new PtyProcessBuilder(runnerArgv.toArray(String[]::new))
                .setEnvironment(runnerEnvironment(jobEnv))
                .setDirectory(cwd.toString())
                .setInitialRows(rows)
                .setInitialColumns(cols)
                .setConsole(false)
                .start();
        try {
            int masterFd = ((UnixPtyProcess) p).getPty().getMasterFD();
            return new JobPty(p, Fd.duplicate(masterFd), rows, cols);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * The runner JVM gets only what it needs: the job's own environment reaches the job through
     * the Start message, so variables like JAVA_TOOL_OPTIONS cannot make the runner print.
     */
    private static Map<String, String> runnerEnvironment(Map<String, String> jobEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", jobEnv.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        for (String k : List.of("HOME", "LANG", "TERM")) {
            String v = jobEnv.get(k);
            if (v != null) env.put(k, v);
        }
        env.putIfAbsent("TERM", "xterm-256color");
        return env;
    }

    Fd master() {
        return master;
    }

    long runnerPid() {
        return runner.pid();
    }

    /** Blocks until the runner process has exited (pty4j's reaper wakes us: no native wait here). */
    void awaitExit() {
        try {
            runner.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the runner ended, for the log ("exit 1", "signal 9"), waiting briefly for pty4j's reaper. */
    String runnerEnd() {
        try {
            if (!runner.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) return "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
        int status = runner.exitValue();
        // pty4j reports death by signal N as 128+N
        return status > 128 ? "signal " + (status - 128) : "exit " + status;
    }

    void resize(int rows, int cols) {
        // struct winsize holds unsigned shorts: a client's nonsense must not wrap around
        if (rows <= 0 || cols <= 0 || rows > 10_000 || cols > 10_000) return;
        size = new int[] {rows, cols};
        resizeForNow(rows, cols);
    }

    /** {rows, cols} as last asked for by a client. */
    int[] size() {
        return size.clone();
    }

    /** Back to the size of {@link #size()} after {@link #resizeForNow}. */
    void restoreSize() {
        int[] s = size;
        resizeForNow(s[0], s[1]);
    }

    /** A size that is not remembered: the next {@link #restoreSize} undoes it. */
    void resizeForNow(int rows, int cols) {
        try {
            runner.setWinSize(new WinSize(cols, rows));
        } catch (RuntimeException ignored) {
            // the pty is already gone; the size no longer matters
        }
    }

    /** Stops the runner (if still alive) and releases the pty. */
    void close() {
        master.close();
        if (runner.isAlive()) runner.destroyForcibly();
        try {
            ((UnixPtyProcess) runner).getPty().close();
        } catch (IOException | RuntimeException ignored) {
            // pty4j may have closed it when the runner exited
        }
    }
}
