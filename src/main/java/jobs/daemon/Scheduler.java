package jobs.daemon;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jobs.job.Job;
import jobs.job.PhaseChanges;
import jobs.job.Unattended;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts waiting jobs. One virtual thread decides ({@link Schedule}) whenever a job stops or
 * ends, a job is submitted, a queue changes (all of which bump {@link PhaseChanges}) or a delay
 * is over (the wait's timeout); the jobs it picks start as {@code run -d} starts them
 * ({@link RunRequests#launch}). A job stays saved as waiting until its runner is recorded
 * (runners/ID): a later daemon that finds both knows it started, so a crash at any moment
 * neither loses a waiting job nor starts one twice.
 */
final class Scheduler {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /** With nothing delayed, the decision thread sleeps until something happens. */
    private static final long IDLE_MILLIS = 3_600_000;

    private final WaitingJobs jobs;
    private final Adoptions adoptions;
    private final RunRequests runs;
    private final Unattended.Listener unattended;
    private volatile boolean stopped;
    private Thread decider;

    Scheduler(WaitingJobs jobs, Adoptions adoptions, RunRequests runs, Unattended.Listener unattended) {
        this.unattended = unattended;
        this.jobs = jobs;
        this.adoptions = adoptions;
        this.runs = runs;
    }

    void start() {
        decider = Thread.ofVirtual().name("scheduler").start(this::decideLoop);
    }

    private void decideLoop() {
        adoptions.awaitSettled(); // a surviving job may be what a waiting one waits for
        try {
            while (!stopped) {
                long generation = PhaseChanges.generation();
                Instant wake = decide();
                long millis = wake == null ? IDLE_MILLIS : Duration.between(Instant.now(), wake).toMillis() + 1;
                PhaseChanges.await(generation, millis);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            log.error("the scheduler failed; waiting jobs no longer start", e);
        }
    }

    /** Starts and cancels what the rules say now; returns when to look again for a delay. */
    private Instant decide() {
        List<WaitingJob> toStart = new ArrayList<>();
        Schedule s;
        jobs.lock.lock();
        try {
            if (stopped) return null;
            boolean changed = jobs.members.entrySet().removeIf(e -> !jobs.holdsSlot(e.getKey()));
            Map<String, Integer> running = new HashMap<>();
            jobs.members.values().forEach(q -> running.merge(q, 1, Integer::sum));
            List<Schedule.Pending> pending = jobs.waiting.values().stream().filter(WaitingJob::waits)
                    .map(WaitingJob::pending).toList();
            Instant now = Instant.now();
            s = Schedule.decide(pending, jobs.queues, running, jobs::dependency, now);
            for (Schedule.Pending p : pending) {
                WaitingJob w = jobs.waiting.get(p.id());
                List<Integer> left = s.after().getOrDefault(p.id(), List.of());
                if (!left.equals(w.after)) {
                    w.after = new ArrayList<>(left);
                    changed = true;
                }
            }
            for (Map.Entry<Integer, String> c : s.cancel().entrySet()) {
                WaitingJob w = jobs.waiting.get(c.getKey());
                w.cancelled = c.getValue();
                w.cancelledAt = now;
                w.outcome.complete(null);
                log.info("job {} cancelled: {}", w.id, w.cancelled);
                changed = true;
            }
            for (int id : s.start()) {
                WaitingJob w = jobs.waiting.get(id);
                w.starting = true;
                if (w.queue != null) jobs.members.put(id, w.queue);
                toStart.add(w);
            }
            if (changed) jobs.save();
        } finally {
            jobs.lock.unlock();
        }
        if (!s.cancel().isEmpty()) PhaseChanges.signal();
        for (int id : s.cancel().keySet()) announceCancel(id);
        for (WaitingJob w : toStart) Thread.ofVirtual().name("job-" + w.id + " start").start(() -> launch(w));
        return s.wake();
    }

    /**
     * The finish hook and the shell's notice hear of a job cancelled because a job it waited
     * for failed, as of any job that ended unwatched (one killed by the user is not news).
     */
    private void announceCancel(int id) {
        WaitingJob w;
        jobs.lock.lock();
        try {
            w = jobs.waiting.get(id);
        } finally {
            jobs.lock.unlock();
        }
        if (w == null) return;
        RunOrder o = w.order;
        try {
            unattended.happened(new Unattended(id, o.name() == null ? "" : o.name(), o.command(), "cancelled",
                    w.cancelled, 0, null, null, QueueRequests.cancelled(w), o.env()));
        } catch (RuntimeException e) {
            log.warn("unattended-event listener failed", e);
        }
    }

    /** Starts a chosen job, on the thread of the request (start) or of its own (decide); null if it did not. */
    private Job launch(WaitingJob w) {
        RunRequests.Launch l;
        try {
            l = runs.launch(w.order, w.id);
        } catch (IOException e) {
            l = new RunRequests.Launch(null, new Event.Error(ErrorKind.SPAWN_FAILED, "cannot start: " + e.getMessage()));
        }
        jobs.lock.lock();
        try {
            w.starting = false;
            if (l.job() != null) {
                if (w.queue != null) jobs.startedIn.put(w.id, w.queue);
                jobs.waiting.remove(w.id);
                jobs.table().unnameWaiting(w.id);
                log.info("job {} waited and started", w.id);
            } else if (l.error().kind() == ErrorKind.SHUTTING_DOWN) {
                return null; // still saved as waiting: the next daemon starts it
            } else {
                jobs.members.remove(w.id);
                w.cancelled = l.error().message();
                w.cancelledAt = Instant.now();
                w.outcome.complete(null);
            }
            jobs.save();
        } finally {
            jobs.lock.unlock();
        }
        if (l.job() != null) {
            l.job().markBackground();
            w.outcome.complete(l.job());
        }
        PhaseChanges.signal();
        return l.job();
    }

    /** {@code jobs start}: starts it now, whatever it waits for; else the error says why not. */
    RunRequests.Launch startNow(WaitingJob w) {
        jobs.lock.lock();
        try {
            if (stopped) return new RunRequests.Launch(null, new Event.Error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
            if (!w.waits() || jobs.waiting.get(w.id) != w) {
                return new RunRequests.Launch(null, new Event.Error(ErrorKind.BAD_REQUEST,
                        "job " + w.id + " is not waiting" + (w.cancelled == null ? "" : " (cancelled: " + w.cancelled + ")")));
            }
            w.starting = true;
            if (w.queue != null) jobs.members.put(w.id, w.queue);
        } finally {
            jobs.lock.unlock();
        }
        Job job = launch(w);
        return job != null ? new RunRequests.Launch(job, null)
                : new RunRequests.Launch(null, new Event.Error(ErrorKind.SPAWN_FAILED, "job " + w.id + ": " + w.cancelled));
    }

    /**
     * The daemon goes: nothing more starts. kill-server ({@code forget}) ends the waiting jobs
     * with the others; restart-server leaves them saved for the next daemon.
     */
    void stop(boolean forget) {
        jobs.lock.lock();
        try {
            stopped = true;
        } finally {
            jobs.lock.unlock();
        }
        if (forget) jobs.forget();
        if (decider != null) decider.interrupt();
    }
}
