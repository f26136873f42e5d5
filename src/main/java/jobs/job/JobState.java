package jobs.job;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import jobs.history.Backlog;
import jobs.protocol.Event;
import jobs.protocol.JobInfo.JobStateName;

/**
 * What the three directions of a job share: its phase, the attached client (if any) and the
 * output kept while none is. Each method is one small transition under the lock; the I/O it
 * decides on happens after the lock is released (see {@link Outcome}), except that an
 * attachment's write lock is taken inside so that output order and the closing event stay in step.
 *
 * <p>Invariants: a job leaves the table only when it has ended, its pty is drained and the final
 * status has reached a client (abduco's {@code exit_packet_delivered}). A stopped job cannot
 * resume by itself, so "stopped and attached" always ends in a hand-back to the shell once the
 * pty is drained.
 */
final class JobState {
    /** Shared by all jobs: larger means more recently stopped or sent to the background. */
    private static final AtomicLong RECENCY = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final int id;
    private final List<String> command;
    private final Backlog backlog;

    private JobStateName phase = JobStateName.RUNNING;
    private Attachment attachment;
    private boolean detachWhenDrained;
    private final ClientHold hold = new ClientHold();
    private boolean ptyDrained;
    private boolean delivered;
    private long recency;
    private Ending ending = Ending.NOT_YET;

    JobState(int id, List<String> command, long backlogBytes) {
        this.id = id;
        this.command = command;
        this.backlog = new Backlog(backlogBytes);
    }

    /** The attachment to write to, or null after the bytes went to the backlog. */
    Attachment output(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (attachment == null) backlog.append(b, off, len);
            return attachment;
        } finally {
            lock.unlock();
        }
    }

    /** A write to the client failed: it is gone, and the bytes are kept for the next one. */
    void outputFailed(Attachment a, byte[] b, int off, int len) {
        locked(() -> {
            if (attachment == a) detachLocked();
            backlog.append(b, off, len);
        });
        a.close();
    }

    /**
     * How long the pty reader may wait for more output before the job counts as drained:
     * negative while nothing is pending.
     */
    long quietMillis() {
        lock.lock();
        try {
            if (phase == JobStateName.FINISHED && !ptyDrained) return 150;
            return detachWhenDrained ? 30 : -1;
        } finally {
            lock.unlock();
        }
    }

    /** The pty had nothing more to say for quietMillis, or reached EOF. */
    Outcome drained(boolean eof) {
        return locked(() -> {
            if (phase == JobStateName.FINISHED) {
                ptyDrained = true;
                return finishLocked();
            }
            if (detachWhenDrained && phase == JobStateName.STOPPED) {
                Attachment a = attachment;
                detachLocked();
                if (a != null) return new Outcome(a, new Event.Stopped(id, command), false, false);
            }
            if (eof) ptyDrained = true; // the runner's report will finish the job
            return Outcome.NOTHING;
        });
    }

    /** Returns true if the pty reader must be woken to notice. */
    boolean stopped() {
        boolean changed = locked(() -> {
            if (phase == JobStateName.FINISHED) return false;
            phase = JobStateName.STOPPED;
            recency = RECENCY.incrementAndGet();
            if (attachment != null) detachWhenDrained = true;
            return true;
        });
        PhaseChanges.signal();
        return changed;
    }

    void continued() {
        locked(() -> {
            if (phase != JobStateName.FINISHED) phase = JobStateName.RUNNING;
            detachWhenDrained = false;
        });
        PhaseChanges.signal();
    }

    /**
     * The job ended: finish now if the pty is already drained, else wake the reader. {@code why}
     * is null for a job that ended by itself, else why the daemon had to end it.
     */
    Outcome ended(Integer code, Integer sig, String why) {
        Outcome o = locked(() -> {
            if (phase == JobStateName.FINISHED) return Outcome.NOTHING;
            phase = JobStateName.FINISHED;
            detachWhenDrained = false;
            recency = RECENCY.incrementAndGet();
            ending = new Ending(code, sig, why, Instant.now(), recency);
            return ptyDrained ? finishLocked() : Outcome.NOTHING;
        });
        PhaseChanges.signal();
        return o;
    }

    private Outcome finishLocked() {
        if (attachment == null) return new Outcome(null, null, false, true);
        Attachment a = attachment;
        attachment = null;
        delivered = true;
        return new Outcome(a, finishedEvent(), true, true);
    }

    private Event.Finished finishedEvent() {
        return new Event.Finished(id, command, ending.exitCode(), ending.signal(), ending.lost());
    }

    /**
     * Makes a the attached client, or says why not (see {@link Admission}). With {@code steal}, a
     * client attached before is let go instead of refusing a; {@code returning}: a is the client
     * an adopted job is held for.
     */
    Admission attach(Attachment a, boolean fetchOutput, boolean steal, boolean returning) {
        return locked(() -> {
            if (delivered) return Admission.GONE;
            Attachment stolen = null;
            if (attachment != null || detachWhenDrained || (!returning && hold.active())) {
                if (!steal) return Admission.BUSY;
                stolen = attachment;
                detachLocked();
            }
            hold.end();
            boolean wasStopped = phase == JobStateName.STOPPED;
            attachment = a;
            a.lockWrites();
            long dropped = fetchOutput ? backlog.dropped() : 0;
            byte[] replay = fetchOutput ? backlog.take() : new byte[0];
            backlog.clear();
            return new Admission(Job.AttachResult.ATTACHED, replay, dropped, wasStopped, stolen);
        });
    }

    /** After the replay: a job that had already ended and drained is delivered at once. */
    Outcome attached(Attachment a) {
        a.unlockWrites();
        return locked(() -> attachment == a && phase == JobStateName.FINISHED && ptyDrained
                ? finishLocked() : Outcome.NOTHING);
    }

    /**
     * The client left before its replay was written: the replay goes back to the backlog for the
     * next one, ahead of the output that waited for it (the pty reader, parked on the write
     * lock, only gets on once the attachment is closed).
     */
    void replayFailed(Attachment a, byte[] replay, long dropped) {
        locked(() -> {
            if (attachment != a) return;
            detachLocked();
            backlog.putBack(replay, dropped);
        });
        a.close();
        a.unlockWrites();
    }

    /** The client went away (closed, killed, or its write failed): the job runs on unattended. */
    void detach(Attachment a) {
        locked(() -> {
            if (attachment == a) detachLocked();
        });
        a.close();
    }

    /** The control connection of the attached client closed. */
    void detachIfControl(Connection control) {
        Attachment a = locked(() -> {
            Attachment now = attachment;
            if (now == null || now.control() != control) return null;
            detachLocked();
            return now;
        });
        if (a != null) a.close();
    }

    /** An adopted job whose client was attached when the daemon went: see {@link ClientHold}. */
    void holdForReturningClient(long nanos) {
        locked(() -> hold.start(nanos));
    }

    /** Whether a client is attached now (a hold does not count): what the runner is told. */
    boolean clientAttached() {
        return locked(() -> attachment != null);
    }

    private void detachLocked() {
        attachment = null;
        detachWhenDrained = false;
        recency = RECENCY.incrementAndGet();
    }

    enum BackgroundResult { RESUME, ALREADY_RUNNING, BUSY, FINISHED }

    /** {@code continue -d}: the job runs on with no client. */
    BackgroundResult background() {
        return locked(() -> {
            if (attachment != null || detachWhenDrained || hold.active()) return BackgroundResult.BUSY;
            recency = RECENCY.incrementAndGet();
            if (phase == JobStateName.FINISHED) delivered = true;
            return switch (phase) {
                case STOPPED -> BackgroundResult.RESUME;
                case FINISHED -> BackgroundResult.FINISHED;
                // a job with a runner is never one of the waiting phases
                default -> BackgroundResult.ALREADY_RUNNING;
            };
        });
    }

    /**
     * {@code jobs clean}: a finished job that no client is attached to counts as delivered, so
     * it may leave the table. False for a live or attached job.
     */
    boolean collect() {
        return locked(() -> {
            if (phase != JobStateName.FINISHED || attachment != null || hold.active()) return false;
            delivered = true;
            return true;
        });
    }

    Event.Finished finished() {
        return locked(this::finishedEvent);
    }

    /** What the backlog holds for the next client (restart-server hands it on), emptied. */
    byte[] takeUnseen() {
        return locked(backlog::take);
    }

    void touch() {
        locked(() -> {
            recency = RECENCY.incrementAndGet();
        });
    }

    record View(JobStateName phase, boolean attached, Integer exitCode, Integer signal, long recency,
                boolean delivered, String lost, Instant endedAt, long endOrder) {}

    View view() {
        return locked(() -> new View(phase, attachment != null || hold.active(), ending.exitCode(), ending.signal(),
                recency, delivered, ending.lost(), ending.at(), ending.order()));
    }

    private <T> T locked(Supplier<T> transition) {
        lock.lock();
        try {
            return transition.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable transition) {
        lock.lock();
        try {
            transition.run();
        } finally {
            lock.unlock();
        }
    }
}
