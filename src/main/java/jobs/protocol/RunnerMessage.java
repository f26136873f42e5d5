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

    /** The daemon's answer to Hello: what to run, where, with which environment. */
    record Start(List<String> command, Map<String, String> env, String cwd) implements RunnerMessage {
        @Override
        public String toString() {
            return "Start[command=" + command + ", cwd=" + cwd + "]";
        }
    }

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
        /** With the signal that stopped it (SIGTSTP, SIGTTIN...), for the finish hook. */
        public static Report stopped(long pid, int sig) { return new Report(ReportKind.STOPPED, pid, null, sig, null); }
        public static Report exited(long pid, int code) { return new Report(ReportKind.EXITED, pid, code, null, null); }
        public static Report signaled(long pid, int sig) { return new Report(ReportKind.SIGNALED, pid, null, sig, null); }
        public static Report spawnFailed(int errno) { return new Report(ReportKind.SPAWN_FAILED, 0, null, null, errno); }
    }

    enum ReportKind { RUNNING, STOPPED, EXITED, SIGNALED, SPAWN_FAILED }
}
