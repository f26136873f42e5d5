package jobs.protocol;

import java.util.List;
import java.util.Map;

/**
 * Runner and daemon talk over a connection that the runner opens to the daemon's socket: pty4j
 * gives the runner only fds 0-2, so the seed's inherited fd 3 is not available.
 */
public sealed interface RunnerMessage extends Message {

    /** The runner's first frame: which job it runs, with the token it was started with. */
    record Hello(int jobId, String token) implements RunnerMessage {}

    /**
     * The first frame of a runner started ahead of any job (the daemon's pool of warm runners):
     * its number in the pool, with the token it was started with. It gets its job with Start.
     */
    record Warm(int runner, String token) implements RunnerMessage {}

    /**
     * The daemon's answer to Hello: what to run, where, with which environment. The job's pty
     * master comes with it (SCM_RIGHTS), so that the job outlives the daemon; jobId and
     * adoptToken are what the runner shows a later daemon in {@link Adopt}, with the job's name
     * (null if it has none).
     */
    record Start(List<String> command, Map<String, String> env, String cwd, int jobId, String adoptToken,
                 String name) implements RunnerMessage {
        public Start(List<String> command, Map<String, String> env, String cwd) {
            this(command, env, cwd, 0, null, null);
        }

        public Start(List<String> command, Map<String, String> env, String cwd, int jobId, String adoptToken) {
            this(command, env, cwd, jobId, adoptToken, null);
        }

        @Override
        public String toString() {
            return "Start[command=" + command + ", cwd=" + cwd + "]";
        }
    }

    /**
     * A runner's first frame to a daemon that did not start its job (that one died or was
     * restarted): take my job, with the pty master that comes with this frame (SCM_RIGHTS).
     * token is the adoptToken of its Start. state is RUNNING, STOPPED, or EXITED/SIGNALED with
     * exitCode/signal for a job that ended while no daemon was there; startedAt is ISO-8601.
     *
     * <p>A stable contract, unlike the client's messages: runners outlive daemons, so a newer
     * daemon must adopt the jobs of older runners. Runner messages are therefore exempt from
     * the protocol version check (see Json); their fields may only be added, never renamed,
     * removed or given another meaning, and a missing field must keep its old meaning.
     */
    record Adopt(int jobId, String token, List<String> command, String name, long pid, ReportKind state,
                 Integer exitCode, Integer signal, String startedAt, boolean attached, long pendingBytes,
                 int contract, Map<String, String> env) implements RunnerMessage {
        /**
         * attached: a client was attached when the daemon went. contract: the runner's
         * {@link #CONTRACT} (0 from runners older than the field), which says what it may be sent.
         * env: the job's environment from its Start (null from older runners).
         */
        public Adopt(int jobId, String token, List<String> command, String name, long pid, ReportKind state,
                     Integer exitCode, Integer signal, String startedAt, boolean attached, long pendingBytes) {
            this(jobId, token, command, name, pid, state, exitCode, signal, startedAt, attached, pendingBytes, 0, null);
        }

        @Override
        public String toString() {
            return "Adopt[jobId=" + jobId + ", command=" + command + ", pid=" + pid + ", state=" + state + "]";
        }
    }

    /**
     * Which of the daemon's messages this build's runners understand: below 2, those of the first
     * contract only; from 2 on, {@link Attached} and {@link HandingOver} too. A daemon sends a
     * message only to runners whose contract has it: those it started itself (its own build) and
     * those whose Adopt says so. An older runner would take an unknown message for a broken link.
     */
    int CONTRACT = 2;

    /** Whether a client is attached to the job now, for the runner's next Adopt (contract 2). */
    record Attached(boolean attached) implements RunnerMessage {}

    /**
     * The daemon is handing its jobs to the next one (restart-server), and whoever asked for that
     * starts it: the runner leaves the start to them for a while instead of racing them with a
     * daemon of its own build, which may be an older one (contract 2).
     */
    record HandingOver() implements RunnerMessage {}

    /**
     * Output of the job that a daemon read from the pty but nobody has seen yet, base64: a
     * restarting daemon hands it to the runner, and the runner to the next daemon right after
     * its Adopt (pendingBytes in all), before anything still in the pty. At most a frame's worth
     * per message.
     */
    record Output(String base64) implements RunnerMessage {}

    /** The daemon's answer to Adopt: the job is its own now (the runner may forget a final status). */
    record Adopted(int jobId) implements RunnerMessage {}

    /** The daemon has the job's final report: the runner may leave. */
    record Goodbye() implements RunnerMessage {}

    /** Give the job the terminal again and send it SIGCONT. */
    record Resume() implements RunnerMessage {}

    /**
     * A change of the job's state as waitpid saw it. For SPAWN_FAILED, errno says why
     * (ENOENT: not found, EACCES: not executable).
     */
    record Report(ReportKind kind, long pid, Integer exitCode, Integer signal, Integer errno)
            implements RunnerMessage {
        public static Report running(long pid) { return new Report(ReportKind.RUNNING, pid, null, null, null); }
        public static Report stopped(long pid) { return new Report(ReportKind.STOPPED, pid, null, null, null); }
        /** For STOPPED, signal is the one that stopped the job (SIGTSTP, SIGSTOP, SIGTTIN, SIGTTOU). */
        public static Report stopped(long pid, int sig) { return new Report(ReportKind.STOPPED, pid, null, sig, null); }
        public static Report exited(long pid, int code) { return new Report(ReportKind.EXITED, pid, code, null, null); }
        public static Report signaled(long pid, int sig) { return new Report(ReportKind.SIGNALED, pid, null, sig, null); }
        public static Report spawnFailed(int errno) { return new Report(ReportKind.SPAWN_FAILED, 0, null, null, errno); }
    }

    enum ReportKind { RUNNING, STOPPED, EXITED, SIGNALED, SPAWN_FAILED }
}
