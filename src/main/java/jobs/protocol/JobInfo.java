package jobs.protocol;

import java.util.List;

/** One row of {@code jobs list}. */
public record JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                      Integer exitCode, Integer signal, String startedAt) {
    public enum JobStateName { RUNNING, STOPPED, FINISHED }
}
