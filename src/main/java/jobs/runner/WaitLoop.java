package jobs.runner;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import jobs.posix.Processes;
import jobs.posix.StandardStreams;
import jobs.posix.WaitStatus;
import jobs.protocol.RunnerMessage.Report;

/**
 * The runner's main thread once the job runs: waits on the job (WUNTRACED|WCONTINUED) and
 * reports each change of its state until it is gone; then stays until a daemon has the final
 * status, when the job can outlive its daemon.
 */
final class WaitLoop {
    private final StartedJob job;
    private final JobGroup group;
    private final DaemonSlot slot;
    private final HangUp hangUp;
    private final DaemonLink first;

    WaitLoop(StartedJob job, JobGroup group, DaemonSlot slot, HangUp hangUp, DaemonLink first) {
        this.job = job;
        this.group = group;
        this.slot = slot;
        this.hangUp = hangUp;
        this.first = first;
    }

    /** Reports every change of the job's state until it is gone; returns the runner's exit status. */
    int watch() {
        long pid = job.pid();
        while (true) {
            WaitStatus status;
            try {
                status = Processes.waitpid(pid);
            } catch (IOException e) {
                // cannot happen for our own child; if it does, nobody can track the job any more
                hangUp.run(1);
                return 1;
            }
            // instanceof, not a pattern switch: see Runner.spawn
            if (status instanceof WaitStatus.Exited e) return finish(Report.exited(pid, e.code()));
            if (status instanceof WaitStatus.Signaled s) return finish(Report.signaled(pid, s.signal()));
            if (status instanceof WaitStatus.Stopped st) {
                group.takeTerminal();
                report(Report.stopped(pid, st.signal()));
            } else {
                report(Report.running(pid));
            }
        }
    }

    /** Tells the daemon that has the job, if any; a job that cannot outlive a lost daemon goes with it. */
    void report(Report r) {
        if (!slot.report(r) && !job.adoptable()) hangUp.run(0);
    }

    private int finish(Report end) {
        releaseTerminal();
        if (job.adoptable()) {
            report(end);
            // until a daemon has the final status, the job is not over for anyone
            slot.awaitReleased();
            return 0;
        }
        if (hangUp.jobEnded()) parkForever(); // the hang-up clears the rest of the job's group, then halts
        try {
            first.send(end);
        } catch (IOException ignored) {
            // the daemon is gone too: nobody is left to tell
        }
        first.close();
        return 0;
    }

    /**
     * The job is gone: the runner's own hold on the terminal (its standard streams) is all that
     * keeps the daemon from reading EOF, the sign that the job's output is complete. Without this
     * the job's end waited for the runner's JVM to exit. What the job left running in the
     * background still holds the terminal, and keeps the output open as before.
     */
    private static void releaseTerminal() {
        try {
            StandardStreams.toDevNull();
        } catch (IOException e) {
            // then the terminal is given up when the runner exits, as it always was
        }
    }

    private static void parkForever() {
        while (true) LockSupport.park();
    }
}
