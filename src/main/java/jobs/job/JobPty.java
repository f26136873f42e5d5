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
 *
 * <p>A pty adopted from a runner that a previous daemon started has no pty4j handle: only the
 * master that the runner passed over, and the runner's pid (not our child: nobody here waits
 * for it; the master's end-of-file tells when it is gone).
 */
final class JobPty {
    private final PtyProcess runner; // null when adopted
    private final long adoptedRunnerPid;
    private final Fd master;
    /** The size the attached client asked for: what {@link #restoreSize} goes back to. */
    private volatile int[] size;

    private JobPty(PtyProcess runner, Fd master, int rows, int cols) {
        this.runner = runner;
        this.master = master;
        this.size = new int[] {rows, cols};
        this.adoptedRunnerPid = 0;
    }

    private JobPty(long runnerPid, Fd master) {
        this.runner = null;
        this.master = master;
        this.adoptedRunnerPid = runnerPid;
        // the next client's attach gives the real size; until then nobody restores to this one
        this.size = new int[] {24, 80};
    }

    /** The pty of a job whose runner came back to this daemon with its master descriptor. */
    static JobPty adopted(int masterFd, long runnerPid) throws IOException {
        return new JobPty(runnerPid, Fd.adopt(masterFd));
    }

    /** The descriptor number to pass to the runner, so that the job outlives this daemon. */
    int masterNumber() {
        return master.number();
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
        // one malloc arena instead of one per thread: ~0.1 MB less per idle runner (the job's
        // own environment comes with Start, so the job does not inherit this)
        env.put("MALLOC_ARENA_MAX", "1");
        // a runner whose daemon died starts the next one: it must find the same runtime
        // directory, settings and logs as this daemon (see runner.DaemonRestart)
        for (String k : List.of("XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME")) {
            String v = System.getenv(k);
            if (v != null) env.put(k, v);
        }
        return env;
    }

    Fd master() {
        return master;
    }

    long runnerPid() {
        return runner == null ? adoptedRunnerPid : runner.pid();
    }

    /** Blocks until the runner process has exited (pty4j's reaper wakes us: no native wait here). */
    void awaitExit() {
        if (runner == null) return; // only warm runners wait here, and they are never adopted
        try {
            runner.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the runner ended, for the log ("exit 1", "signal 9"), waiting briefly for pty4j's reaper. */
    String runnerEnd() {
        if (runner == null) return "adopted runner " + adoptedRunnerPid;
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
        if (runner == null) {
            try {
                jobs.posix.Terminal.resize(master.number(), rows, cols);
            } catch (IOException ignored) {
                // the pty is already gone; the size no longer matters
            }
            return;
        }
        try {
            runner.setWinSize(new WinSize(cols, rows));
        } catch (RuntimeException ignored) {
            // the pty is already gone; the size no longer matters
        }
    }

    /** Stops the runner (if still alive) and releases the pty. */
    void close() {
        master.close();
        if (runner == null) return; // see killRunner
        if (runner.isAlive()) runner.destroyForcibly();
        try {
            ((UnixPtyProcess) runner).getPty().close();
        } catch (IOException | RuntimeException ignored) {
            // pty4j may have closed it when the runner exited
        }
    }

    /**
     * Ends an adopted runner, as close() does our own child: for kill-server, which must not
     * leave a runner that would start another daemon. The pid came from the kernel (SO_PEERCRED)
     * and the runner of a live job does not leave without our word, so it is still the runner's.
     */
    void killRunner() {
        if (runner != null) return;
        try {
            jobs.posix.Processes.kill(adoptedRunnerPid, jobs.posix.Signals.SIGKILL);
        } catch (IOException gone) {
            // it had left already
        }
    }
}
