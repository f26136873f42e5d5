package jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** What the command line asks for, parsed and checked; {@link Main} carries it out. */
sealed interface Command {
    /**
     * {@code command} is the exact argv for the job (already wrapped in a shell if needed).
     * {@code queue}, {@code after} (job words), {@code delay} and {@code at} (a time of day)
     * make it wait before it starts; null (or empty) when not given.
     */
    record Run(List<String> command, boolean detached, String name, String detachKey, String queue,
               List<String> after, Duration delay, LocalTime at) implements Command {
        Run(List<String> command, boolean detached) {
            this(command, detached, null, null);
        }

        Run(List<String> command, boolean detached, String name, String detachKey) {
            this(command, detached, name, detachKey, null, List.of(), null, null);
        }

        /** When it may start, as an ISO instant: after the delay, or at the next such time of day; null: now. */
        String startAt(Instant now, ZoneId zone) {
            if (delay != null) return now.plus(delay).toString();
            if (at == null) return null;
            ZonedDateTime today = now.atZone(zone).with(at).withSecond(0).withNano(0);
            return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant().toString();
        }
    }

    /** {@code jobs queue [NAME] [--parallel N] [--pause|--resume]}. */
    record Queue(String name, Integer parallel, boolean pause, boolean resume) implements Command {}

    /** {@code jobs rerun [-d] ID}: an ended job again, as a new job. */
    record Rerun(String job, boolean detached) implements Command {}

    /** {@code jobs start ID}: a waiting job, now. */
    record Start(String job) implements Command {}

    /**
     * A null id and job mean the most recently stopped or backgrounded job; {@code job} is a
     * name or a {@code %STRING} jobspec, resolved by the daemon.
     */
    record Continue(Integer id, boolean detached, boolean fetchOutput, String job, boolean steal, String detachKey)
            implements Command {
        Continue(Integer id, boolean detached, boolean fetchOutput) {
            this(id, detached, fetchOutput, null, false, null);
        }
    }

    /** {@code jobs init SHELL}: the snippet for the shell's rc file. */
    record Init(String shell) implements Command {}

    /** The hidden {@code __complete WHAT} that the shells' completion functions call. */
    record Complete(String what) implements Command {}

    /** {@code jobs} are the words the user typed; {@code timeoutMillis} is null without --timeout. */
    record Kill(List<String> jobs, boolean all, int signal, Long timeoutMillis) implements Command {}

    /** No jobs: every live job. */
    record Wait(List<String> jobs, boolean any, Long timeoutMillis) implements Command {}

    /** No jobs: every finished job. */
    record Clean(List<String> jobs) implements Command {}

    record ListJobs(boolean json) implements Command {}

    record KillServer() implements Command {}

    /** {@code job} is the word as typed (the daemon resolves it); lines 0: all of it. */
    record Log(String job, int lines, boolean follow) implements Command {}

    record RestartServer() implements Command {}

    /** The hidden {@code __new-build}: the launcher installed a new jar; see Client.newBuild. */
    record NewBuild() implements Command {}

    record Daemon(Path logFile) implements Command {}

    /** The hidden entry of a job's runner: {@code __runner ID TOKEN SOCKET}. */
    record Runner(List<String> args) implements Command {}

    /** Help text for stdout, exit 0. */
    record Help(String text) implements Command {}

    record Version() implements Command {}
}
