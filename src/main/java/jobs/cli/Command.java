package jobs.cli;

import java.nio.file.Path;
import java.util.List;

/** What the command line asks for, parsed and checked; {@link Main} carries it out. */
sealed interface Command {
    /** {@code command} is the exact argv for the job (already wrapped in a shell if needed). */
    record Run(List<String> command, boolean detached) implements Command {}

    /** A null id means the most recently stopped or backgrounded job. */
    record Continue(Integer id, boolean detached, boolean fetchOutput) implements Command {}

    record ListJobs(boolean json) implements Command {}

    record KillServer() implements Command {}

    record RestartServer() implements Command {}

    record Daemon(Path logFile) implements Command {}

    /** The hidden entry of a job's runner: {@code __runner ID TOKEN SOCKET}. */
    record Runner(List<String> args) implements Command {}

    /** Help text for stdout, exit 0. */
    record Help(String text) implements Command {}

    record Version() implements Command {}
}
