package jobs.history;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jobs.protocol.Event;

/**
 * One {@code jobs log -f}: the live output waiting for it, bounded. A follower that reads
 * slowly (or is stopped) never holds anyone up: once its buffer is full the oldest bytes go,
 * and it is told how many it missed.
 */
public final class Follower {
    /** Output one follower may fall behind by before it skips ahead. */
    static final int BUFFER = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Backlog pending = new Backlog(BUFFER);
    private Event.Finished end;
    private boolean closed;

    /** What {@link #next} returns: bytes (and how many were skipped before them), or the job's end. */
    public record Batch(byte[] bytes, long skipped, Event.Finished end) {}

    void offer(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (closed) return;
            pending.append(b, off, len);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    void ended(Event.Finished f) {
        lock.lock();
        try {
            end = f;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch, waiting up to timeoutMillis for one: bytes first, the end once every byte
     * is taken; null on timeout or once closed.
     */
    public Batch next(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!closed && pending.size() == 0 && end == null) {
                if (nanos <= 0) return null;
                nanos = changed.awaitNanos(nanos);
            }
            if (closed) return null;
            if (pending.size() > 0) {
                long skipped = pending.dropped();
                byte[] bytes = pending.take();
                return new Batch(bytes, skipped, null);
            }
            return new Batch(null, 0, end);
        } finally {
            lock.unlock();
        }
    }

    /** The follower's client left: nothing more is kept for it. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            pending.clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
