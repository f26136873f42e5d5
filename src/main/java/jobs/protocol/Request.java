package jobs.protocol;

import java.util.List;
import java.util.Map;

/** What a client asks of the daemon. The first frame of a client connection is one of these. */
public sealed interface Request extends Message {

    /** Start a job. {@code command} is the exact argv; env and cwd are the client's own. */
    record Run(List<String> command, Map<String, String> env, String cwd,
               int rows, int cols, boolean detached) implements Request {
        @Override
        public String toString() {
            // the environment may hold secrets: keep it out of logs
            return "Run[command=" + command + ", cwd=" + cwd + ", " + rows + "x" + cols
                    + ", detached=" + detached + "]";
        }
    }

    /** Resume a job; a null id means the most recently stopped or backgrounded one. */
    record Continue(Integer id, boolean detached, boolean fetchOutput, int rows, int cols)
            implements Request {}

    record ListJobs() implements Request {}

    record KillServer() implements Request {}

    /**
     * Hand every job to a fresh daemon started from the current build: the daemon gives each
     * runner what it read and nobody saw yet, releases its socket and lock and exits; the runners
     * come back to the next daemon (see RunnerMessage.Adopt).
     */
    record RestartServer() implements Request {}

    /** Sent on an attached connection when the client's terminal changes size. */
    record Resize(int rows, int cols) implements Request {}
}
