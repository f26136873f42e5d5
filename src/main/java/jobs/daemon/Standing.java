package jobs.daemon;

import java.util.Optional;
import jobs.job.Job;

/**
 * How a job stands for the jobs that wait on it: whether it still holds its queue's slot, and
 * whether it ended with status 0. It may be in the table, still waiting, not back yet after a
 * crash (Adoptions), or gone, with its end remembered by the table.
 */
final class Standing {
    private final JobTable table;
    private final Adoptions adoptions;

    Standing(JobTable table, Adoptions adoptions) {
        this.table = table;
        this.adoptions = adoptions;
    }

    /** Whether a queue's job still holds its slot: alive, starting or not back yet. {@code waiting}: its entry, or null. */
    boolean holdsSlot(int id, WaitingJob waiting) {
        Optional<Job> job = table.get(id);
        if (job.isPresent()) return !job.get().hasEnded();
        if (waiting != null) return waiting.starting;
        return adoptions.expects(id);
    }

    /** How the job a waiting one depends on stands. {@code waiting}: its entry if it has not started, or null. */
    Schedule.Dependency dependency(int id, WaitingJob waiting) {
        Optional<Job> job = table.get(id);
        if (job.isPresent()) {
            if (!job.get().hasEnded()) return Schedule.Dependency.PENDING;
            String failure = JobTable.failure(job.get());
            return failure == null ? Schedule.Dependency.SUCCEEDED : Schedule.Dependency.failed(failure);
        }
        if (waiting != null) {
            return waiting.cancelled == null ? Schedule.Dependency.PENDING
                    : Schedule.Dependency.failed("job " + id + " was cancelled");
        }
        if (adoptions.expects(id)) return Schedule.Dependency.PENDING;
        return table.pastEnd(id).orElse(Schedule.Dependency.failed("job " + id + " is gone"));
    }
}
