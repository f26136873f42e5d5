package jobs.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.protocol.Event;

/**
 * A job ended or stopped while no terminal was attached to it: the moment a user who is not
 * watching wants to hear about (the finish hook, shell notices). {@link Job} fires it from one
 * place, once its output is complete; listeners must return at once.
 *
 * @param state  finished, killed or stopped
 * @param status the exit code, or the name of the signal that killed or stopped it
 * @param log    the job's output log, or null when none is kept
 * @param signal what stopped it (SIGTSTP, SIGSTOP, SIGTTIN, SIGTTOU), null if not stopped or not said
 * @param end    how it ended, null for a stop
 * @param env    the environment of the {@code jobs run} that started it (an adopted job keeps it)
 */
public record Unattended(int id, String name, List<String> command, String state, String status,
                         long seconds, Path log, Integer signal, Event.Finished end, Map<String, String> env) {

    public interface Listener {
        void happened(Unattended event);

        Listener NONE = e -> { };
    }
}
