package jobs.job;

import jobs.protocol.Event;

/**
 * What to do after a JobState transition, decided under its lock and carried out after it:
 * the attachment to let go with its last event, whether the final status reached a client
 * (the job may leave the table) and whether the job has just ended and drained.
 */
record Outcome(Attachment finish, Event event, boolean delivered, boolean ended) {
    static final Outcome NOTHING = new Outcome(null, null, false, false);

    void apply() {
        if (finish != null) finish.finish(event);
    }
}
