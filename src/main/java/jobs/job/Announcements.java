package jobs.job;

import java.time.Duration;
import java.time.Instant;
import jobs.history.JobOutput;
import jobs.posix.Signals;
import jobs.protocol.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that tells of a job's unattended end or stop ({@link Unattended}). Not for a
 * job that never started (its client is told by run), and never delaying the caller: listeners
 * return at once.
 */
final class Announcements {
    private static final Logger log = LoggerFactory.getLogger(Announcements.class);

    private final JobSpec spec;
    private final Instant startedAt;
    private final ProcessGroup group;
    private final JobOutput output;
    private final Unattended.Listener listener;

    Announcements(JobSpec spec, Instant startedAt, ProcessGroup group, JobOutput output, Unattended.Listener listener) {
        this.spec = spec;
        this.startedAt = startedAt;
        this.group = group;
        this.output = output;
        this.listener = listener;
    }

    void stopped(Integer signal) {
        announce("stopped", signal == null ? "SIGTSTP" : Signals.name(signal), signal, null);
    }

    void ended(Event.Finished f) {
        if (f.signal() != null) announce("killed", Signals.name(f.signal()), null, f);
        else announce("finished", Integer.toString(f.exitCode() == null ? 0 : f.exitCode()), null, f);
    }

    private void announce(String what, String status, Integer stopSignal, Event.Finished end) {
        if (group.pid() <= 0) return;
        long seconds = Duration.between(startedAt, Instant.now()).toSeconds();
        try {
            listener.happened(new Unattended(spec.id(), spec.name() == null ? "" : spec.name(), spec.command(), what,
                    status, seconds, output.logFile(), stopSignal, end, spec.env()));
        } catch (RuntimeException e) {
            log.warn("unattended-event listener failed", e);
        }
    }
}
