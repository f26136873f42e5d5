package jobs.protocol;

/** One row of {@code jobs queue}: its limit, how many of its jobs run and wait, and whether it is paused. */
public record QueueInfo(String name, int parallel, int running, int waiting, boolean paused) {}
