package jobs.daemon;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jobs.history.LogStore;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's two ways out: kill-server ends every job, restart-server hands every job to the
 * next daemon. Either sets {@code shuttingDown} first, which refuses new runs and returning
 * runners, and silences the notices of jobs that end now.
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    /** How long jobs killed after the grace period get to report their end. */
    private static final long KILL_SETTLE_MILLIS = 2_000;

    private final AtomicBoolean shuttingDown;
    private final long killGraceMillis;
    private final JobTable table;
    private final RunnerPool pool;
    private final Adoptions adoptions;
    private final LogStore logs;
    private final Runnable stopServer;
    private final Scheduler scheduler;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Shutdown(AtomicBoolean shuttingDown, long killGraceMillis, JobTable table, RunnerPool pool, Adoptions adoptions,
             LogStore logs, Runnable stopServer, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.shuttingDown = shuttingDown;
        this.killGraceMillis = killGraceMillis;
        this.table = table;
        this.pool = pool;
        this.adoptions = adoptions;
        this.logs = logs;
        this.stopServer = stopServer;
    }

    /**
     * SIGHUP to every job, as when a terminal closes; SIGKILL to what is left after the grace
     * period; then the socket goes and the daemon exits. Attached clients get their job's end.
     */
    void killServer(Connection conn) throws IOException {
        shuttingDown.set(true);
        scheduler.stop(true);
        pool.stop();
        log.info("kill-server: hanging up {} jobs", table.all().size());
        List<Job> jobs = table.all();
        jobs.forEach(Job::hangUp);
        JobControl.awaitEnd(jobs, killGraceMillis);
        for (Job j : jobs) {
            if (!j.hasEnded()) {
                j.inLogContext(() -> {
                    log.info("job {} ignored SIGHUP: killing it", j.id());
                    j.kill();
                });
            }
        }
        JobControl.awaitEnd(jobs, KILL_SETTLE_MILLIS);
        jobs.forEach(Job::kill);
        adoptions.forgetAll();
        stop(conn);
    }

    /**
     * Hands every job to the next daemon: no job is touched. Each stops being read (what it
     * writes waits in its pty) and its runner gets what was read and not seen; then the socket
     * goes and the daemon exits, closing every runner's and client's connection: runners come
     * back to the next daemon, attached clients follow (see client.Reattach).
     */
    void restartServer(Connection conn) throws IOException {
        // one hand-over is enough: several clients may meet an old daemon at once
        if (!shuttingDown.compareAndSet(false, true)) {
            conn.send(new Event.Error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
            return;
        }
        scheduler.stop(false);
        pool.stop();
        List<Job> jobs = table.all();
        log.info("restart-server: handing {} jobs over", jobs.size());
        for (Job j : jobs) j.inLogContext(j::handOver);
        if (!logs.awaitWritten(5_000)) log.warn("restart-server: the output logs were not all written in time");
        stop(conn);
    }

    private void stop(Connection conn) throws IOException {
        stopServer.run();
        try {
            conn.send(new Event.Done());
        } finally {
            stopped.countDown();
        }
    }

    /** Waits (briefly) until kill-server has told its client; the process may exit then. */
    void awaitStopped() {
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
