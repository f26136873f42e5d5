package jobs.client;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * What the threads of an attached session share, and their only way to coordinate: one
 * ReentrantLock and one Condition, signalled on every change a thread waits for (the sockets
 * swapped on reattach, the output drained, the session over, a reattach given up). One lock
 * instead of volatile fields, monitors and latches side by side, so that every wait reads its
 * condition where it is changed and no signal can fall between the check and the wait. Nothing
 * here does I/O under the lock: a method hands out what to write to or close, the caller does it.
 *
 * <p>Who waits: the keys thread while a reattach is under way, after a failed write for the swap,
 * and after a signal key for the session's end; the events thread for the output to drain; the
 * reattach notice for the job to be back.
 */
final class SessionState {
    /**
     * The connection to the daemon that has the job now. After a reattach whose answer brings no
     * data socket (the job ended meanwhile) the old, closed data streams stay: writes fail then.
     */
    record Link(AFUNIXSocket control, FileInputStream dataIn, FileOutputStream dataOut) {}

    /** Who ended the control connection before the daemon said why: nobody means it was lost. */
    enum ClosedBy { NOBODY, DETACH_KEY, BROKEN_STDOUT }

    /** The daemon shuts the data socket before it says Stopped or Finished: that EOF is on its way. */
    private static final long DRAIN_AT_LEAST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Link link;
    /** The current link's data socket reached EOF: all its output is on the terminal. */
    private boolean drained;
    /** From the lost connection until the job is back: keys wait. */
    private boolean reattaching;
    private boolean gaveUp;
    /** The job stopped or ended, was taken over or detached: no more keys for it. */
    private boolean over;
    private boolean detaching;
    /*
     * These three are written by the output thread at every read of the job's output: volatile
     * rather than under the lock, which cost two lock round trips (and two lambdas) per read.
     */
    private volatile boolean stdoutBroken;
    private volatile long lastOutputNanos = System.nanoTime();
    private volatile int lastOutputByte = '\n';
    /** Keys read after a signal key or the detach key: the shell's if the session ends. */
    private byte[] held;

    SessionState(Link first) {
        this.link = first;
    }

    Link link() {
        return locked(() -> link);
    }

    /** Where keys go now; waits while a reattach is under way. */
    FileOutputStream dataForKeys() throws IOException {
        lock.lock();
        try {
            while (reattaching && !gaveUp) await();
            if (gaveUp) throw new IOException("no daemon");
            return link.dataOut();
        } finally {
            lock.unlock();
        }
    }

    /** After a write to {@code failed} failed: waits until a reattach has replaced it. */
    void awaitSwap(FileOutputStream failed) throws IOException {
        lock.lock();
        try {
            while (link.dataOut() == failed && !gaveUp && !over) await();
            if (gaveUp || over) throw new IOException("session over");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds keys back for at most this long in case the session ends: true if they go to the job
     * after all, false if they stay held for the shell ({@link #takeHeld}).
     */
    boolean holdBack(byte[] keys, long millis) {
        return locked(() -> {
            held = keys;
            if (awaitUntil(() -> over, millis) || held == null) return false;
            held = null;
            return true;
        });
    }

    /** The detach key: returns the control connection to close, whose end tells the daemon. */
    AFUNIXSocket detach(byte[] forShell) {
        return locked(() -> {
            detaching = true;
            held = held == null ? forShell : concat(held, forShell);
            return link.control();
        });
    }

    /** The keys for the shell, once. */
    byte[] takeHeld() {
        return locked(() -> {
            byte[] h = held;
            held = null;
            return h;
        });
    }

    /** Bytes came from the job; false once they can no longer go to stdout. */
    boolean outputArrived() {
        lastOutputNanos = System.nanoTime();
        return !stdoutBroken;
    }

    void outputShown(int lastByte) {
        lastOutputByte = lastByte;
    }

    /** Stdout is gone (a closed pipe): returns the control connection to close, to end it all. */
    AFUNIXSocket stdoutBroke() {
        return locked(() -> {
            stdoutBroken = true;
            return link.control();
        });
    }

    /** The data stream {@code from} reached its end: counts only while it is the current one. */
    void outputEnded(FileInputStream from) {
        change(() -> drained |= link.dataIn() == from);
    }

    /**
     * Waits for the current data socket's EOF while bytes keep coming at most stallMillis apart:
     * a daemon that never closes it must not keep the terminal from its user.
     */
    void drain(long stallMillis) {
        lock.lock();
        try {
            long start = System.nanoTime();
            long stall = TimeUnit.MILLISECONDS.toNanos(stallMillis);
            long left;
            while (!drained && (left = Math.max(start + DRAIN_AT_LEAST_NANOS - System.nanoTime(),
                    stall - (System.nanoTime() - lastOutputNanos))) > 0) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most this long for the current data socket's EOF. */
    void awaitDrained(long millis) {
        locked(() -> awaitUntil(() -> drained, millis));
    }

    /** The last byte shown ended a line, or nothing was shown. */
    boolean atLineStart() {
        return locked(() -> lastOutputByte == '\n');
    }

    ClosedBy closedBy() {
        return locked(() -> stdoutBroken ? ClosedBy.BROKEN_STDOUT : detaching ? ClosedBy.DETACH_KEY : ClosedBy.NOBODY);
    }

    boolean over() {
        return locked(() -> over);
    }

    /** The session is over: nobody waits for a swap or for held keys any more. */
    void end() {
        change(() -> over = true);
    }

    /** The daemon is gone: keys wait until {@link #resume} or {@link #giveUp}. */
    void reattaching() {
        change(() -> reattaching = true);
    }

    /** The new daemon's connection; a new data socket has not drained yet. */
    void swap(Link next) {
        change(() -> {
            if (next.dataIn() != link.dataIn()) drained = false;
            link = next;
        });
    }

    /** Keys held during a reattach go on to the job. */
    void resume() {
        change(() -> reattaching = false);
    }

    void giveUp() {
        change(() -> gaveUp = true);
    }

    /** For the reattach notice: false while the job is still not back after this long. */
    boolean awaitBack(long millis) {
        return locked(() -> awaitUntil(() -> !reattaching || gaveUp || over, millis));
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** A change someone may be waiting for. */
    private void change(Runnable transition) {
        lock.lock();
        try {
            transition.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: true once done, false if the time ran out first. */
    private boolean awaitUntil(BooleanSupplier done, long millis) {
        long left = TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (!done.getAsBoolean() && left > 0) left = changed.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done.getAsBoolean();
    }

    private void await() throws IOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
