package jobs.job;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes whoever waits for jobs to stop or end ({@code jobs wait}, {@code kill --timeout}).
 * One generation counter for all jobs, not one per job: a waiter on several jobs (wait --any)
 * parks on one condition and looks at its jobs again when anything moved. Waiters are virtual
 * threads; a ReentrantLock's condition parks them without holding a carrier.
 */
public final class PhaseChanges {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition CHANGED = LOCK.newCondition();
    private static long generation;

    private PhaseChanges() {}

    public static void signal() {
        LOCK.lock();
        try {
            generation++;
            CHANGED.signalAll();
        } finally {
            LOCK.unlock();
        }
    }

    /** The current generation: look at the jobs after taking it, then {@link #await} it. */
    public static long generation() {
        LOCK.lock();
        try {
            return generation;
        } finally {
            LOCK.unlock();
        }
    }

    /** Returns once the generation differs from {@code seen} or {@code millis} have passed. */
    public static void await(long seen, long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
        LOCK.lock();
        try {
            while (generation == seen && nanos > 0) nanos = CHANGED.awaitNanos(nanos);
        } finally {
            LOCK.unlock();
        }
    }
}
