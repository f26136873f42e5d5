package jobs.runner;

import java.io.IOException;
import java.util.Optional;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.posix.Terminal;
import jobs.posix.WinSize;

/**
 * The job's process group and the terminal passing between it and the runner, as in a shell:
 * the group is in the foreground while it runs; when it stops, the runner takes the terminal
 * back (else nobody could give it to the job again), and {@link #resume} hands it to the job
 * before SIGCONT so the job never runs in the background.
 */
final class JobGroup {
    private final long pid;
    /** The terminal's size when the job last stopped, which is the last size it can know of. */
    private volatile Optional<WinSize> sizeAtStop = Optional.empty();

    JobGroup(long pid) {
        this.pid = pid;
    }

    /** The job stopped: the runner holds the terminal until Resume. */
    void takeTerminal() {
        try {
            Processes.tcsetpgrp(0, Processes.getpid());
        } catch (IOException ignored) {
            // the pty is gone (daemon died); the closed link ends the runner
        }
        // from here on a resize signals the runner, not the job: resume() makes up for it
        sizeAtStop = Terminal.size(0);
    }

    void resume() {
        try {
            Processes.tcsetpgrp(0, pid);
        } catch (IOException ignored) {
            // SIGCONT anyway: a job running in the background is better than one stuck stopped
        }
        signal(Signals.SIGCONT);
        // read after tcsetpgrp: a resize from then on reaches the job's group by itself
        if (!Terminal.size(0).equals(sizeAtStop)) signal(Signals.SIGWINCH);
    }

    void signal(int signal) {
        try {
            Processes.kill(-pid, signal);
        } catch (IOException ignored) {
            // ESRCH: the group is already gone
        }
    }

    /** True while any process is left in the job's group (zombies of ours included). */
    boolean exists() {
        try {
            Processes.kill(-pid, 0);
            return true;
        } catch (IOException esrch) {
            return false;
        }
    }
}
