package jobs.daemon;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jobs.job.Job;
import jobs.protocol.JobInfo;
import jobs.protocol.JobInfo.JobStateName;

/**
 * A job that has an id but no runner yet: it waits for a queue slot, for other jobs or for a
 * time ({@code run --queue/--after/--delay/--at}). Its fields change only under the
 * {@link Scheduler}'s lock. {@link #outcome} completes once it started (with its Job) or will
 * never start (with null: cancelled, or killed before it started).
 */
final class WaitingJob {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    final int id;
    final RunOrder order;
    final String queue;
    /** The ids it still waits for; shrinks as they end with 0. */
    List<Integer> after;
    final Instant startAt;
    /** Why it will never start, once it will not; then it is listed as Cancelled until collected. */
    String cancelled;
    Instant cancelledAt;
    /** Chosen to start: a runner is on its way, so it is never chosen twice. */
    boolean starting;
    final CompletableFuture<Job> outcome = new CompletableFuture<>();

    WaitingJob(int id, RunOrder order, String queue, List<Integer> after, Instant startAt) {
        this.id = id;
        this.order = order;
        this.queue = queue;
        this.after = new ArrayList<>(after);
        this.startAt = startAt;
    }

    /** As the previous daemon saved it. */
    static WaitingJob restored(SchedulerStore.Saved saved) {
        WaitingJob w = new WaitingJob(saved.id(), saved.order(), saved.queue(), saved.after(), saved.startAt());
        w.cancelled = saved.cancelled();
        w.cancelledAt = saved.cancelledAt();
        if (w.cancelled != null) w.outcome.complete(null);
        return w;
    }

    /** As it is saved for the next daemon. */
    SchedulerStore.Saved saved() {
        return new SchedulerStore.Saved(id, order, queue, List.copyOf(after), startAt, cancelled, cancelledAt);
    }

    Schedule.Pending pending() {
        return new Schedule.Pending(id, queue, List.copyOf(after), startAt);
    }

    boolean waits() {
        return cancelled == null && !starting;
    }

    JobStateName phase(Instant now) {
        if (cancelled != null) return JobStateName.CANCELLED;
        if (startAt != null && startAt.isAfter(now)) return JobStateName.DELAYED;
        if (!after.isEmpty()) return JobStateName.WAITING;
        return JobStateName.QUEUED;
    }

    /** What it waits for, as the list and the waiting client say it. */
    String stateText(Instant now) {
        return switch (phase(now)) {
            case DELAYED -> "Delayed until " + CLOCK.format(startAt.atZone(ZoneId.systemDefault()));
            case WAITING -> "Waiting for " + String.join(", ", after.stream().map(String::valueOf).toList());
            case CANCELLED -> "Cancelled: " + cancelled;
            default -> queue == null ? "Queued" : "Queued in " + queue;
        };
    }

    JobInfo info(Instant now) {
        return new JobInfo(id, 0, order.command(), phase(now), false, null, null, null, null, order.name(),
                cancelledAt == null ? null : cancelledAt.toString(), null, queue, List.copyOf(after),
                startAt == null ? null : startAt.toString(), cancelled);
    }
}
