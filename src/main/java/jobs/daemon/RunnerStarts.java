package jobs.daemon;

import java.util.concurrent.Semaphore;

/**
 * How many runner JVMs may be starting at once, for jobs and for the pool together. A JVM's
 * start is CPU-bound: a hundred of them started together on two cores each take the time of a
 * hundred, and all of them miss the start deadline; in turns, each starts about as fast as alone.
 * Fair, so that runs are served in the order they came and the pool's refill waits its turn.
 */
final class RunnerStarts {
    /** Counted from the runner's own start, not from the request: waiting for a turn is not slowness. */
    static final long DEADLINE_SECONDS = 60;

    private final Semaphore turns = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    void acquire() throws InterruptedException {
        turns.acquire();
    }

    void release() {
        turns.release();
    }
}
