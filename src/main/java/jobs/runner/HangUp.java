package jobs.runner;

import jobs.config.Settings;
import jobs.posix.Signals;

/**
 * Only for a job started without its pty master (see {@link Runner}): the daemon is gone, and
 * with it the only master, so no one will ever see this job's output or resume it: hang it up as
 * a closing terminal would (SIGCONT so that a stopped job receives the SIGHUP) and leave. What
 * ignores SIGHUP gets SIGKILL after the grace period, as kill-server does: nobody could ever
 * reach it again. Either thread may get here first; the job's own end races it.
 */
final class HangUp {
    private final JobGroup group;
    private final DaemonLink first;
    private final Object lock = new Object();
    private boolean finished; // guarded by lock
    private boolean lost;     // guarded by lock: the daemon went away while the job ran

    HangUp(JobGroup group, DaemonLink first) {
        this.group = group;
        this.first = first;
    }

    /**
     * The job has ended by itself; returns true when a hang-up has begun already, which then
     * clears the rest of the job's group and halts the runner.
     */
    boolean jobEnded() {
        synchronized (lock) {
            finished = true;
            return lost;
        }
    }

    /** Never returns: halts the runner with {@code status}. */
    void run(int status) {
        boolean clear;
        synchronized (lock) {
            clear = !finished && !lost;
            lost = true;
        }
        if (clear) {
            group.signal(Signals.SIGHUP);
            group.signal(Signals.SIGCONT);
            long deadline = System.nanoTime() + Settings.DEFAULTS.killGraceMillis() * 1_000_000L;
            while (group.exists() && System.nanoTime() < deadline) pause();
            if (group.exists()) group.signal(Signals.SIGKILL);
        }
        first.close();
        Runtime.getRuntime().halt(status);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
