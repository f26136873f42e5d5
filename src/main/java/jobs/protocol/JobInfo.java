package jobs.protocol;

import java.util.List;

/**
 * One row of {@code jobs list}; {@code lost} as in {@link Event.Finished}. {@code name} is the
 * one given with {@code run --name}; {@code endedAt} is set once the job has ended; {@code log} is
 * the path of the job's output log, null when none is kept. {@code queue} is the job's queue
 * ({@code run --queue}), {@code after} the ids it still waits for, {@code startAt} (an ISO
 * instant) when a delayed job may start, {@code cancelled} why a job never started; null when
 * they do not apply.
 */
public record JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                      Integer exitCode, Integer signal, String startedAt, String lost, String name,
                      String endedAt, String log, String queue, List<Integer> after, String startAt,
                      String cancelled) {
    public JobInfo(int id, long pid, List<String> command, JobStateName state, boolean attached,
                   Integer exitCode, Integer signal, String startedAt, String lost, String name, String endedAt,
                   String log) {
        this(id, pid, command, state, attached, exitCode, signal, startedAt, lost, name, endedAt, log, null, null,
                null, null);
    }

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

    /** The same row, of a job started from that queue. */
    public JobInfo withQueue(String queue) {
        return new JobInfo(id, pid, command, state, attached, exitCode, signal, startedAt, lost, name, endedAt, log,
                queue, after, startAt, cancelled);
    }

    /** QUEUED, WAITING (for other jobs) and DELAYED have not started; CANCELLED never will. */
    public enum JobStateName { RUNNING, STOPPED, FINISHED, QUEUED, WAITING, DELAYED, CANCELLED }
}
