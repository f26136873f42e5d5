package jobs.job;

import java.time.Instant;

/**
 * How a job ended: its exit code or signal, why the daemon ended it (null: it ended by itself),
 * when, and its order among all jobs' ends (larger: later). {@link #NOT_YET} while it lives.
 */
record Ending(Integer exitCode, Integer signal, String lost, Instant at, long order) {
    static final Ending NOT_YET = new Ending(null, null, null, null, 0);
}
