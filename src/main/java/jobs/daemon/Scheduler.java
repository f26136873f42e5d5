package jobs.daemon;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import jobs.job.Job;
import jobs.job.PhaseChanges;
import jobs.job.Unattended;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts waiting jobs. One virtual thread decides ({@link WaitingJobs#plan}) whenever a job
 * stops or ends, a job is submitted, a queue changes (all of which bump {@link PhaseChanges})
 * or a delay is over (the wait's timeout); the jobs it picks start as {@code run -d} starts
 * them ({@link RunRequests#launch}), each on a virtual thread of its own. A job stays saved as
 * waiting until its runner is recorded (runners/ID): a later daemon that finds both knows it
 * started, so a crash at any moment neither loses a waiting job nor starts one twice.
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
    private volatile Thread decider;

    Scheduler(WaitingJobs jobs, Adoptions adoptions, RunRequests runs, Unattended.Listener unattended) {
        this.jobs = jobs;
        this.adoptions = adoptions;
        this.runs = runs;
        this.unattended = unattended;
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
        WaitingJobs.Plan plan = jobs.plan(Instant.now());
        if (!plan.cancelled().isEmpty()) PhaseChanges.signal();
        plan.cancelled().forEach(this::announceCancel);
        for (WaitingJob w : plan.start()) Thread.ofVirtual().name("job-" + w.id + " start").start(() -> launch(w));
        return plan.wake();
    }

    /**
     * The finish hook and the shell's notice hear of a job cancelled because a job it waited
     * for failed, as of any job that ended unwatched (one killed by the user is not news).
     */
    private void announceCancel(WaitingJob w) {
        RunOrder o = w.order;
        try {
            unattended.happened(new Unattended(w.id, o.name() == null ? "" : o.name(), o.command(), "cancelled",
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
        boolean shuttingDown = l.error() != null && l.error().kind() == ErrorKind.SHUTTING_DOWN;
        if (!jobs.launched(w, l.job(), l.error() == null ? null : l.error().message(), shuttingDown)) return null;
        if (l.job() != null) {
            l.job().markBackground();
            w.outcome.complete(l.job());
        }
        PhaseChanges.signal();
        return l.job();
    }

    /** {@code jobs start}: starts it now, whatever it waits for; else the error says why not. */
    RunRequests.Launch startNow(WaitingJob w) {
        String refused = jobs.claim(w);
        if (refused != null) return new RunRequests.Launch(null, new Event.Error(ErrorKind.BAD_REQUEST, refused));
        Job job = launch(w);
        return job != null ? new RunRequests.Launch(job, null)
                : new RunRequests.Launch(null, new Event.Error(ErrorKind.SPAWN_FAILED, "job " + w.id + ": " + w.cancelled));
    }

    /**
     * The daemon goes: nothing more starts. kill-server ({@code forget}) ends the waiting jobs
     * with the others; restart-server leaves them saved for the next daemon.
     */
    void stop(boolean forget) {
        stopped = true;
        if (forget) jobs.forget();
        else jobs.close();
        Thread t = decider;
        if (t != null) t.interrupt();
    }
}
