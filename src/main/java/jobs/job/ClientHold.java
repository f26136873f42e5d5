package jobs.job;

/**
 * An adopted job's wait for the client that was attached when the previous daemon went: for a
 * while only that client (coming back with Continue.returning) or a --steal may attach, and the
 * job counts as attached, so that another terminal's plain {@code continue} does not take it
 * first. It expires lazily, when asked: no timer. Not thread-safe: JobState's lock guards it.
 */
final class ClientHold {
    private boolean held;
    /** System.nanoTime at which the hold ends. */
    private long until;

    void start(long nanos) {
        held = true;
        until = System.nanoTime() + nanos;
    }

    void end() {
        held = false;
    }

    boolean active() {
        if (held && System.nanoTime() - until >= 0) held = false;
        return held;
    }
}
