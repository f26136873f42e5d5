package jobs.job;

import jobs.history.Backlog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jobs.protocol.Event;
import jobs.protocol.JobInfo.JobStateName;

/**
 * What the three directions of a job share: its phase, the attached client (if any) and the
 * output kept while none is. Each method is one small transition under the lock; the I/O it
 * decides on happens after the lock is released, except that an attachment's write lock is
 * taken inside so that output order and the closing event stay in step.
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
    /** Whether the job waits for its returning client, and until when (System.nanoTime). */
    private boolean held;
    private long heldUntil;
    private boolean ptyDrained;
    private boolean delivered;
    private Integer exitCode;
    private Integer signal;
    private String lost;
    private long recency;
    private Instant endedAt;
    /** Larger means ended later; 0 while the job lives. */
    private long endOrder;

    JobState(int id, List<String> command, long backlogBytes) {
        this.id = id;
        this.command = command;
        this.backlog = new Backlog(backlogBytes);
    }

    /** What to do after a transition, decided under the lock and carried out after it. */
    record Outcome(Attachment finish, Event event, boolean delivered, boolean ended) {
        static final Outcome NOTHING = new Outcome(null, null, false, false);

        void apply() {
            if (finish != null) finish.finish(event);
        }
    }

    // ---- pty to client ----

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
        lock.lock();
        try {
            if (attachment == a) detachLocked();
            backlog.append(b, off, len);
        } finally {
            lock.unlock();
        }
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
            if (detachWhenDrained) return 30;
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /** The pty had nothing more to say for quietMillis, or reached EOF. */
    Outcome drained(boolean eof) {
        lock.lock();
        try {
            if (phase == JobStateName.FINISHED) {
                ptyDrained = true;
                return finishLocked();
            }
            if (detachWhenDrained && phase == JobStateName.STOPPED) {
                detachWhenDrained = false;
                Attachment a = attachment;
                detachLocked();
                if (a != null) return new Outcome(a, new Event.Stopped(id, command), false, false);
            }
            if (eof) ptyDrained = true; // the runner's report will finish the job
            return Outcome.NOTHING;
        } finally {
            lock.unlock();
        }
    }

    // ---- runner events ----

    /** Returns true if the pty reader must be woken to notice. */
    boolean stopped() {
        lock.lock();
        try {
            if (phase == JobStateName.FINISHED) return false;
            phase = JobStateName.STOPPED;
            recency = RECENCY.incrementAndGet();
            if (attachment != null) detachWhenDrained = true;
            return true;
        } finally {
            lock.unlock();
            PhaseChanges.signal();
        }
    }

    void continued() {
        lock.lock();
        try {
            if (phase != JobStateName.FINISHED) phase = JobStateName.RUNNING;
            detachWhenDrained = false;
        } finally {
            lock.unlock();
            PhaseChanges.signal();
        }
    }

    /** The job ended: finish now if the pty is already drained, else wake the reader. */
    Outcome ended(Integer code, Integer sig) {
        return ended(code, sig, null);
    }

    /** As {@link #ended(Integer, Integer)}, for a job the daemon had to end itself, and why. */
    Outcome ended(Integer code, Integer sig, String why) {
        lock.lock();
        try {
            if (phase == JobStateName.FINISHED) return Outcome.NOTHING;
            phase = JobStateName.FINISHED;
            exitCode = code;
            signal = sig;
            lost = why;
            detachWhenDrained = false;
            recency = RECENCY.incrementAndGet();
            endOrder = recency;
            endedAt = Instant.now();
            return ptyDrained ? finishLocked() : Outcome.NOTHING;
        } finally {
            lock.unlock();
            PhaseChanges.signal();
        }
    }

    private Outcome finishLocked() {
        if (attachment == null) return new Outcome(null, null, false, true);
        Attachment a = attachment;
        attachment = null;
        delivered = true;
        return new Outcome(a, finishedEvent(), true, true);
    }

    private Event.Finished finishedEvent() {
        return new Event.Finished(id, command, exitCode, signal, lost);
    }

    // ---- clients ----

    enum AttachResult { ATTACHED, BUSY, GONE }

    /**
     * Makes a the attached client. On success the caller holds a's write lock and must send the
     * Running frame, write {@code replay[0]} and then call {@link #attached}. With {@code steal},
     * a client attached before is let go instead of refusing a: it is left in {@code stolen[0]}
     * for the caller to tell, after the lock.
     */
    AttachResult attach(Attachment a, boolean fetchOutput, boolean steal, boolean returning, byte[][] replay,
                        long[] dropped, boolean[] wasStopped, Attachment[] stolen) {
        lock.lock();
        try {
            if (delivered) return AttachResult.GONE;
            if (attachment != null || detachWhenDrained || (!returning && heldLocked())) {
                if (!steal) return AttachResult.BUSY;
                stolen[0] = attachment;
                detachLocked();
            }
            held = false;
            wasStopped[0] = phase == JobStateName.STOPPED;
            attachment = a;
            a.lockWrites();
            dropped[0] = fetchOutput ? backlog.dropped() : 0;
            replay[0] = fetchOutput ? backlog.take() : new byte[0];
            backlog.clear();
            return AttachResult.ATTACHED;
        } finally {
            lock.unlock();
        }
    }

    /** After the replay: a job that had already ended and drained is delivered at once. */
    Outcome attached(Attachment a) {
        a.unlockWrites();
        lock.lock();
        try {
            if (attachment == a && phase == JobStateName.FINISHED && ptyDrained) return finishLocked();
            return Outcome.NOTHING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client left before its replay was written: the replay goes back to the backlog for the
     * next one, ahead of the output that waited for it (the pty reader, parked on the write
     * lock, only gets on once the attachment is closed).
     */
    void replayFailed(Attachment a, byte[] replay, long dropped) {
        lock.lock();
        try {
            if (attachment == a) {
                detachLocked();
                backlog.putBack(replay, dropped);
            }
        } finally {
            lock.unlock();
        }
        a.close();
        a.unlockWrites();
    }

    /** The client went away (closed, killed, or its write failed): the job runs on unattended. */
    void detach(Attachment a) {
        lock.lock();
        try {
            if (attachment == a) detachLocked();
        } finally {
            lock.unlock();
        }
        a.close();
    }

    /** The control connection of the attached client closed. */
    void detachIfControl(Connection control) {
        Attachment a;
        lock.lock();
        try {
            a = attachment;
            if (a == null || a.control() != control) return;
            detachLocked();
        } finally {
            lock.unlock();
        }
        a.close();
    }

    /**
     * An adopted job whose client was attached when the daemon went: for a while only that
     * client (coming back with Continue.returning) or a --steal may attach, and the job counts
     * as attached, so that another terminal's plain {@code continue} does not take it first.
     */
    void holdForReturningClient(long nanos) {
        lock.lock();
        try {
            held = true;
            heldUntil = System.nanoTime() + nanos;
        } finally {
            lock.unlock();
        }
    }

    /** Held and not yet expired; an expired hold is dropped here (lazily: no timer needed). */
    private boolean heldLocked() {
        if (held && System.nanoTime() - heldUntil >= 0) held = false;
        return held;
    }

    /** Whether a client is attached now (a hold does not count): what the runner is told. */
    boolean clientAttached() {
        lock.lock();
        try {
            return attachment != null;
        } finally {
            lock.unlock();
        }
    }

    private void detachLocked() {
        attachment = null;
        detachWhenDrained = false;
        recency = RECENCY.incrementAndGet();
    }

    enum BackgroundResult { RESUME, ALREADY_RUNNING, BUSY, FINISHED }

    /** {@code continue -d}: the job runs on with no client. */
    BackgroundResult background() {
        lock.lock();
        try {
            if (attachment != null || detachWhenDrained || heldLocked()) return BackgroundResult.BUSY;
            recency = RECENCY.incrementAndGet();
            return switch (phase) {
                case STOPPED -> BackgroundResult.RESUME;
                case RUNNING -> BackgroundResult.ALREADY_RUNNING;
                case FINISHED -> {
                    delivered = true;
                    yield BackgroundResult.FINISHED;
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code jobs clean}: a finished job that no client is attached to counts as delivered, so
     * it may leave the table. False for a live or attached job.
     */
    boolean collect() {
        lock.lock();
        try {
            if (phase != JobStateName.FINISHED || attachment != null || heldLocked()) return false;
            delivered = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    Event.Finished finished() {
        lock.lock();
        try {
            return finishedEvent();
        } finally {
            lock.unlock();
        }
    }

    /** What the backlog holds for the next client (restart-server hands it on), emptied. */
    byte[] takeUnseen() {
        lock.lock();
        try {
            return backlog.take();
        } finally {
            lock.unlock();
        }
    }

    // ---- views ----

    record View(JobStateName phase, boolean attached, Integer exitCode, Integer signal, long recency,
                boolean delivered, String lost, Instant endedAt, long endOrder) {}

    View view() {
        lock.lock();
        try {
            return new View(phase, attachment != null || heldLocked(), exitCode, signal, recency, delivered, lost,
                    endedAt, endOrder);
        } finally {
            lock.unlock();
        }
    }

    void touch() {
        lock.lock();
        try {
            recency = RECENCY.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }
}
