package jobs.job;

import jobs.protocol.Event;

/**
 * A job stopped or ended while no client was attached to it: nobody saw it happen, so the
 * daemon may want to tell the user some other way (a notice before their shell's next prompt).
 * Called on the runner connection's thread, after the job's own transition; must not block long.
 */
public interface UnattendedEvents {
    UnattendedEvents NONE = new UnattendedEvents() {
        @Override
        public void stopped(Job job, Integer signal) {}

        @Override
        public void ended(Job job, Event.Finished how) {}
    };

    /** signal: what stopped it (SIGTSTP, SIGSTOP, SIGTTIN, SIGTTOU), null if the runner did not say. */
    void stopped(Job job, Integer signal);

    void ended(Job job, Event.Finished how);
}
