package jobs.client;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds the detach key among keystrokes. One press detaches; a second press within
 * {@link #WINDOW_MILLIS} instead sends the key once to the job (so Ctrl-\ still reaches a job
 * when it is the detach key). A press that ends a read is decided by whichever comes first:
 * the next read, or the end of the window on a timer thread. Thread-safe: the input thread
 * calls {@link #filter}, the timer calls the detach action; they meet under one lock, as the
 * session's threads do in SessionState.
 */
final class DoubleTap {
    static final long WINDOW_MILLIS = 400;

    /** bytes[0..forward) go to the job; if detach, then rest belongs to the user's shell. */
    record Filtered(int forward, boolean detach, byte[] rest) {}

    private final int key;
    private final Runnable detach;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition decided = lock.newCondition();
    private boolean pending;
    private boolean fired;
    private long generation;

    DoubleTap(int key, Runnable detach) {
        this.key = key;
        this.detach = detach;
    }

    /** Compacts buf[0..n) in place to what the job gets. */
    Filtered filter(byte[] buf, int n) {
        lock.lock();
        try {
            return filterLocked(buf, n);
        } finally {
            lock.unlock();
        }
    }

    private Filtered filterLocked(byte[] buf, int n) {
        if (fired) return new Filtered(0, true, Arrays.copyOf(buf, n));
        int out = 0;
        for (int i = 0; i < n; i++) {
            boolean isKey = (buf[i] & 0xff) == key;
            if (pending) {
                pending = false;
                decided.signalAll();
                if (isKey) {
                    buf[out++] = (byte) key;
                    continue;
                }
                fired = true;
                return new Filtered(out, true, Arrays.copyOfRange(buf, i, n));
            }
            if (!isKey) {
                buf[out++] = buf[i];
            } else {
                pending = true;
            }
        }
        if (pending) startTimer(++generation);
        return new Filtered(out, false, null);
    }

    private void startTimer(long mine) {
        Thread t = new Thread(() -> await(mine), "detach-key timer");
        t.setDaemon(true);
        t.start();
    }

    private void await(long mine) {
        lock.lock();
        try {
            long left = WINDOW_MILLIS * 1_000_000L;
            while (pending && generation == mine && left > 0) left = decided.awaitNanos(left);
            if (!pending || generation != mine) return;
            pending = false;
            fired = true;
        } catch (InterruptedException e) {
            return;
        } finally {
            lock.unlock();
        }
        detach.run();
    }
}
