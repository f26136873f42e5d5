package jobs.protocol;

import java.util.List;

/**
 * One row of {@code jobs list}; {@code lost} as in {@link Event.Finished}. {@code name} is the
 * one given with {@code run --name}; {@code endedAt} is set once the job has ended; {@code log} is
 * the path of the job's output log, null when none is kept.
 */
public record JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                      Integer exitCode, Integer signal, String startedAt, String lost, String name,
                      String endedAt, String log) {
    public JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                   Integer exitCode, Integer signal, String startedAt) {
        this(id, pid, command, state, attached, exitCode, signal, startedAt, null);
    }

    public JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                   Integer exitCode, Integer signal, String startedAt, String lost) {
        this(id, pid, command, state, attached, exitCode, signal, startedAt, lost, null, null, null);
    }

    public JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                   Integer exitCode, Integer signal, String startedAt, String lost, String name, String endedAt) {
        this(id, pid, command, state, attached, exitCode, signal, startedAt, lost, name, endedAt, null);
    }

    public enum JobStateName { RUNNING, STOPPED, FINISHED }
}
