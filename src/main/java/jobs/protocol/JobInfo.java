package jobs.protocol;

import java.util.List;

/** One row of {@code jobs list}; {@code lost} as in {@link Event.Finished}. */
public record JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                      Integer exitCode, Integer signal, String startedAt, String lost) {
    public JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                   Integer exitCode, Integer signal, String startedAt) {
        this(id, pid, command, state, attached, exitCode, signal, startedAt, null);
    }

    public enum JobStateName { RUNNING, STOPPED, FINISHED }
}
