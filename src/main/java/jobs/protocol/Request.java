package jobs.protocol;

import java.util.List;
import java.util.Map;

/** What a client asks of the daemon. The first frame of a client connection is one of these. */
public sealed interface Request extends Message {

    /**
     * Start a job. {@code command} is the exact argv; env and cwd are the client's own.
     * {@code queue}, {@code after} (words naming jobs that must end with status 0 first) and
     * {@code startAt} (an ISO instant) make it wait before it starts; null when not given.
     */
    record Run(List<String> command, Map<String, String> env, String cwd,
               int rows, int cols, boolean detached, String name, String queue, List<String> after,
               String startAt) implements Request {
        public Run(List<String> command, Map<String, String> env, String cwd, int rows, int cols, boolean detached) {
            this(command, env, cwd, rows, cols, detached, null);
        }

        public Run(List<String> command, Map<String, String> env, String cwd, int rows, int cols, boolean detached,
                   String name) {
            this(command, env, cwd, rows, cols, detached, name, null, null, null);
        }

        /** Whether the job waits for a queue, other jobs or a time before it starts. */
        public boolean waits() {
            return queue != null || (after != null && !after.isEmpty()) || startAt != null;
        }

        @Override
        public String toString() {
            // the environment may hold secrets: keep it out of logs
            return "Run[command=" + command + ", cwd=" + cwd + ", " + rows + "x" + cols
                    + ", detached=" + detached + (name == null ? "" : ", name=" + name)
                    + (queue == null ? "" : ", queue=" + queue) + (after == null ? "" : ", after=" + after)
                    + (startAt == null ? "" : ", startAt=" + startAt) + "]";
        }
    }

    /**
     * Resume a job; a null id and job mean the most recently stopped or backgrounded one.
     * {@code job}, when set, is the word the user typed (a name or a jobspec) and wins over id.
     * {@code steal} takes the job over from a terminal attached to it. {@code returning}: the
     * client was attached to the job when its daemon went away and is coming back to it, which a
     * job adopted as attached waits for (see JobState.holdForReturningClient).
     */
    record Continue(Integer id, boolean detached, boolean fetchOutput, int rows, int cols, String job, boolean steal,
                    boolean returning) implements Request {
        public Continue(Integer id, boolean detached, boolean fetchOutput, int rows, int cols) {
            this(id, detached, fetchOutput, rows, cols, null, false);
        }

        public Continue(Integer id, boolean detached, boolean fetchOutput, int rows, int cols, String job,
                        boolean steal) {
            this(id, detached, fetchOutput, rows, cols, job, steal, false);
        }
    }

    /**
     * Send {@code signal} to the process group of each job named in {@code jobs} (words as typed),
     * or of every live job if {@code all}; SIGKILL to what is left after {@code timeoutMillis}
     * when that is positive. Answered by Results once done.
     */
    record Kill(List<String> jobs, boolean all, int signal, long timeoutMillis) implements Request {}

    /**
     * Wait until the jobs end (all of them, or the first if {@code any}); no jobs: every live one.
     * Answered by a Stopped for each job seen stopped, then the Finished of the one that ended
     * last (or first); Done when there was nothing to wait for.
     */
    record Wait(List<String> jobs, boolean any) implements Request {}

    /** Drop finished jobs from the table without attaching; no jobs: every finished one. */
    record Clean(List<String> jobs) implements Request {}

    record ListJobs() implements Request {}

    record KillServer() implements Request {}

    /**
     * A job's output history ({@code jobs log}): {@code job} is the word the user typed, which
     * the daemon resolves; {@code lines} &gt; 0 keeps only the last lines (0: all, negative:
     * none, as {@code -n 0}); {@code follow} goes
     * on with live output until the job ends. Answered with Output and Notice events, then Done
     * (or, when following, the job's Finished).
     */
    record Log(String job, int lines, boolean follow) implements Request {}

    /**
     * Hand every job to a fresh daemon started from the current build: the daemon gives each
     * runner what it read and nobody saw yet, releases its socket and lock and exits; the runners
     * come back to the next daemon (see RunnerMessage.Adopt).
     */
    record RestartServer() implements Request {}

    /**
     * {@code jobs queue}: with a null name, list the queues; else change that one (a null
     * parallel leaves its limit) and answer with the list. Answered by Queues.
     */
    record Queue(String name, Integer parallel, boolean pause, boolean resume) implements Request {}

    /** {@code jobs start}: the waiting job the word names starts now, whatever it waits for. */
    record Start(String job) implements Request {}

    /**
     * {@code jobs rerun}: the ended job the word names runs again as a new job, with its
     * command, directory, environment, name and queue; answered as Run is.
     */
    record Rerun(String job, boolean detached, int rows, int cols) implements Request {}

    /** Sent on an attached connection when the client's terminal changes size. */
    record Resize(int rows, int cols) implements Request {}
}
