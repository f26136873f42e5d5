package jobs.job;

import java.io.IOException;
import jobs.posix.Processes;
import jobs.posix.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's process group, led by the job's own process once its runner has reported the pid:
 * where the job's signals go. Before that there is nothing to signal (the runner is not the job).
 */
final class ProcessGroup {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);

    private volatile long pid;

    long pid() {
        return pid;
    }

    void started(long pid) {
        this.pid = pid;
    }

    /** As when a terminal closes: SIGHUP, and SIGCONT so that a stopped job can act on it. */
    void hangUp() {
        send(Signals.SIGHUP);
        send(Signals.SIGCONT);
    }

    /**
     * {@code jobs kill}: a stopped job also gets SIGCONT, or it could not act on the signal until
     * someone continued it.
     */
    void sendOnRequest(int signal, boolean stopped) {
        log.info("sending {} on request", Signals.name(signal));
        send(signal);
        if (stopped && signal != Signals.SIGKILL && signal != Signals.SIGCONT) send(Signals.SIGCONT);
    }

    void send(int signal) {
        long p = pid;
        if (p <= 0) return;
        try {
            Processes.kill(-p, signal);
        } catch (IOException e) {
            log.debug("kill {} {}: {}", -p, Signals.name(signal), e.getMessage());
        }
    }
}
