package jobs.client;

import java.util.Arrays;

/**
 * Finds the detach key among keystrokes. One press detaches; a second press within
 * {@link #WINDOW_MILLIS} instead sends the key once to the job (so Ctrl-\ still reaches a job
 * when it is the detach key). A press that ends a read is decided by whichever comes first:
 * the next read, or the end of the window on a timer thread. Thread-safe: the input thread
 * calls {@link #filter}, the timer calls the detach action.
 */
final class DoubleTap {
    static final long WINDOW_MILLIS = 400;

    /** bytes[0..forward) go to the job; if detach, then rest belongs to the user's shell. */
    record Filtered(int forward, boolean detach, byte[] rest) {}

    private final int key;
    private final Runnable detach;
    private boolean pending;
    private boolean fired;
    private long generation;

    DoubleTap(int key, Runnable detach) {
        this.key = key;
        this.detach = detach;
    }

    /** Compacts buf[0..n) in place to what the job gets. */
    synchronized Filtered filter(byte[] buf, int n) {
        if (fired) return new Filtered(0, true, Arrays.copyOf(buf, n));
        int out = 0;
        for (int i = 0; i < n; i++) {
            boolean isKey = (buf[i] & 0xff) == key;
            if (pending) {
                pending = false;
                notifyAll();
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
        synchronized (this) {
            long deadline = System.nanoTime() + WINDOW_MILLIS * 1_000_000L;
            long left;
            while (pending && generation == mine && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!pending || generation != mine) return;
            pending = false;
            fired = true;
        }
        detach.run();
    }
}
