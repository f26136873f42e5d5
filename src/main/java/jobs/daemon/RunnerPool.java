package jobs.daemon;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.job.Connection;
import jobs.job.RunnerTokens;
import jobs.job.WarmRunner;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runners started ahead of their jobs, so that a run need not wait for a JVM. One virtual
 * thread keeps {@code size} of them alive or starting, in the background: the daemon accepts
 * requests while the first one starts. A run claims a waiting one if there is any; the thread
 * then starts its replacement. A runner that dies or never connects is replaced after a delay
 * that doubles with each such failure in a row (up to a minute), so runners that keep failing
 * cost a start a minute, not a busy loop. Warm runners are not jobs: they never appear in a list.
 */
final class RunnerPool {
    private static final Logger log = LoggerFactory.getLogger(RunnerPool.class);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long LAST_RETRY_MILLIS = 60_000;
    /** A runner that waited this long before dying was no failure of starting. */
    private static final long HEALTHY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int size;
    private final RuntimePaths paths;
    private final RunnerStarts starts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int lastNumber; // the fill thread's own
    // guarded by lock:
    private final Map<Integer, WarmRunner> live = new HashMap<>();
    private final ArrayDeque<WarmRunner> waiting = new ArrayDeque<>();
    private int failures;
    private boolean stopped;

    RunnerPool(int size, RuntimePaths paths, RunnerStarts starts) {
        this.size = size;
        this.paths = paths;
        this.starts = starts;
    }

    void start() {
        if (size > 0) Thread.ofVirtual().name("runner-pool").start(this::fill);
    }

    /** A waiting runner, now the caller's (see WarmRunner.claim), or null. */
    WarmRunner claim() {
        lock.lock();
        try {
            for (WarmRunner w = waiting.pollFirst(); w != null; w = waiting.pollFirst()) {
                if (w.claim()) {
                    live.remove(w.number());
                    failures = 0;
                    changed.signalAll();
                    return w;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** A warm runner's first frame: serve it on this thread if it is one of ours. */
    void arrived(RunnerMessage.Warm hello, Connection conn) {
        WarmRunner w;
        lock.lock();
        try {
            w = live.get(hello.runner());
        } finally {
            lock.unlock();
        }
        if (w == null || !w.proves(hello.token())) {
            log.warn("refused warm runner {}: unknown or wrong token", hello.runner());
            return;
        }
        Thread.currentThread().setName("warm-" + hello.runner() + " runner");
        w.serve(conn);
    }

    /** No more runners; those waiting are ended (kill-server). */
    void stop() {
        List<WarmRunner> all;
        lock.lock();
        try {
            stopped = true;
            all = List.copyOf(live.values());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        all.forEach(WarmRunner::discard);
    }

    private void fill() {
        try {
            while (awaitVacancy()) {
                starts.acquire();
                WarmRunner w;
                try {
                    w = startOne();
                    if (w != null) awaitConnected(w);
                } finally {
                    starts.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the pool of warm runners stopped", e);
        }
    }

    /** Waits until fewer than size runners are live and any back-off has passed; false once stopped. */
    private boolean awaitVacancy() throws InterruptedException {
        lock.lock();
        try {
            while (!stopped && live.size() >= size) changed.await();
            long delay = failures == 0 ? 0 : Math.min(LAST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures - 1, 20));
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            for (long left = end - System.nanoTime(); !stopped && left > 0; left = end - System.nanoTime()) {
                changed.awaitNanos(left);
            }
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    private WarmRunner startOne() {
        int number = ++lastNumber;
        String token = RunnerTokens.fresh();
        List<String> argv = JvmCommand.runner(List.of("warm", Integer.toString(number), token, paths.socket().toString()));
        WarmRunner w;
        try {
            w = WarmRunner.start(number, token, argv, System.getenv());
        } catch (IOException | RuntimeException e) {
            log.warn("cannot start a warm runner: {}", e.toString());
            lock.lock();
            try {
                failures++;
            } finally {
                lock.unlock();
            }
            return null;
        }
        lock.lock();
        try {
            if (stopped) {
                w.discard();
                return null;
            }
            live.put(number, w);
        } finally {
            lock.unlock();
        }
        w.dead().thenRun(() -> ended(w));
        return w;
    }

    /** Holds the start's turn until the runner is connected: only then is its JVM up. */
    private void awaitConnected(WarmRunner w) throws InterruptedException {
        try {
            if (w.connected().get(RunnerStarts.DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                lock.lock();
                try {
                    if (live.containsKey(w.number())) waiting.addLast(w);
                } finally {
                    lock.unlock();
                }
                log.debug("warm runner {} (pid {}) is waiting", w.number(), w.pid());
            }
        } catch (TimeoutException e) {
            log.warn("warm runner {} did not connect within {} s", w.number(), RunnerStarts.DEADLINE_SECONDS);
            w.discard();
        } catch (ExecutionException e) {
            w.discard();
        }
    }

    private void ended(WarmRunner w) {
        lock.lock();
        try {
            live.remove(w.number());
            waiting.remove(w);
            if (stopped) return;
            failures = w.ageNanos() > HEALTHY_NANOS ? 1 : failures + 1;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("warm runner {} (pid {}) ended; replacing it", w.number(), w.pid());
    }
}
