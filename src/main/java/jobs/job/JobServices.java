package jobs.job;

import jobs.history.LogStore;

/**
 * What the daemon gives every job besides its command: where its output history goes and who
 * hears of its unattended ends. One parameter, so that new services do not widen every factory.
 */
public record JobServices(LogStore logs, Unattended.Listener unattended) {
    /** No disk log and nobody listening: for tests and tools. */
    public static final JobServices NONE = new JobServices(LogStore.off(), Unattended.Listener.NONE);
}
