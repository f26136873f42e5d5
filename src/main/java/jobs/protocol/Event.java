package jobs.protocol;

import java.util.List;

/** What the daemon tells a client. */
public sealed interface Event extends Message {

    /**
     * The client is attached to a running job. This frame carries the data socket's descriptor as
     * ancillary data: raw job output arrives on it and keystrokes go back on it.
     * {@code droppedBytes} counts backlog bytes lost to the buffer limit before the replay.
     */
    record Running(int id, long pid, List<String> command, long droppedBytes) implements Event {}

    /** {@code run -d} or {@code continue -d}: the job runs on with no client. */
    record Background(int id, long pid, List<String> command) implements Event {}

    /** The job stopped; every byte it wrote before that is already on the data socket. */
    record Stopped(int id, List<String> command) implements Event {}

    /**
     * The job ended; exactly one of exitCode and signal is set. Its output is complete.
     * {@code lost} is set when the daemon ended the job itself because nothing could manage it
     * any more (its runner died), worded for people: "its runner died". {@code cancelled} is set
     * when the job never started because a job it waited for failed, worded for people.
     */
    record Finished(int id, List<String> command, Integer exitCode, Integer signal, String lost, String cancelled)
            implements Event {
        public Finished(int id, List<String> command, Integer exitCode, Integer signal) {
            this(id, command, exitCode, signal, null);
        }

        public Finished(int id, List<String> command, Integer exitCode, Integer signal, String lost) {
            this(id, command, exitCode, signal, lost, null);
        }
    }

    /**
     * The job waits before it starts ({@code run --queue/--after/--delay/--at}); {@code state}
     * says for what, worded for people ("Queued in gpu", "Waiting for 3", "Delayed until 14:05").
     * A client that waits in the foreground gets Running (or Finished, if the job is cancelled)
     * once that is over.
     */
    record Waiting(int id, List<String> command, String state) implements Event {}

    /** The answer to Queue: every queue that has a setting or a job. */
    record Queues(List<QueueInfo> queues) implements Event {}

    /**
     * notBack: ids of jobs a previous daemon had whose runners live but have not come back to
     * this one yet (after a crash); null or empty when there are none.
     */
    /**
     * {@code columns}: the width of the terminal whose descriptor came with the ListJobs, as the
     * daemon measured it (the command then links no downcall of its own); 0 when none came.
     */
    record JobList(List<JobInfo> jobs, List<Integer> notBack, int columns) implements Event {
        public JobList(List<JobInfo> jobs) {
            this(jobs, null);
        }

        public JobList(List<JobInfo> jobs, List<Integer> notBack) {
            this(jobs, notBack, 0);
        }
    }

    /** Some of a job's output, for {@code jobs log}: raw bytes as the pty gave them, in base64. */
    record Output(String base64) implements Event {
        public static Output of(byte[] b, int off, int len) {
            return new Output(java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(b, off, off + len)));
        }

        public byte[] bytes() {
            return java.util.Base64.getDecoder().decode(base64 == null ? "" : base64);
        }
    }

    /** A remark within a job's output history (what was dropped, and where), worded for people. */
    record Notice(String message) implements Event {}

    /** Acknowledges a request that has no other answer (kill-server). */
    record Done() implements Event {}

    /** The attached client lost its job to {@code continue --steal} in another terminal. */
    record TakenOver(int id) implements Event {}

    /**
     * The answer to a request that acts on several jobs (kill, clean): one line worded for
     * people per job it could not act on; empty when all went well.
     */
    record Results(List<String> failures) implements Event {}

    /** A refusal, worded for people. */
    record Error(ErrorKind kind, String message) implements Event {}

    enum ErrorKind {
        NOT_FOUND, ALREADY_ATTACHED, COMMAND_NOT_FOUND, NOT_EXECUTABLE, BAD_REQUEST,
        SPAWN_FAILED, SHUTTING_DOWN, INTERNAL
    }
}
