package jobs.job;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jobs.posix.Fd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The pty's direction of a job: one virtual thread reads the pty master (non-blocking, parked
 * in the poller, so it never pins a carrier) and gives each read to the attached client, or to
 * the backlog while none is, until the job has ended and its pty is drained.
 */
final class PtyToClient {
    private static final Logger log = LoggerFactory.getLogger(PtyToClient.class);
    private static final long RUNNER_REPORT_GRACE_SECONDS = 5;
    /** A read at least this long suggests more output is queued behind it. */
    private static final int STREAMING_READ = 2048;

    private final Job job;
    private volatile boolean releasing;
    private final CountDownLatch stopped = new CountDownLatch(1);

    PtyToClient(Job job) {
        this.job = job;
    }

    void start() {
        Thread.ofVirtual().name("job-" + job.id() + " pty>client").start(this::run);
    }

    private void run() {
        MDC.put("job", Integer.toString(job.id()));
        try {
            pump();
        } finally {
            stopped.countDown();
        }
    }

    private void pump() {
        byte[] buf = new byte[64 * 1024];
        Fd master = job.pty.master();
        try {
            while (!releasing) {
                long quiet = job.state.quietMillis();
                int n = master.read(buf, 0, buf.length, quiet);
                if (n > 0) {
                    deliver(buf, readMore(master, buf, n));
                } else if (n == Fd.EOF) {
                    runnerGone();
                    job.settle(job.state.drained(true));
                    return;
                } else if (quiet >= 0) {
                    Outcome o = job.state.drained(false);
                    job.settle(o);
                    if (o.ended()) return;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("pty reader failed: {}", e.toString());
            runnerGone();
            job.settle(job.state.drained(true));
        }
    }

    /**
     * A pty master hands out at most one line-discipline buffer (4 KiB) per read. While output
     * streams, gather what is already there into one write: fewer socket writes and fewer
     * wake-ups of the client. A short read means the job is quiet (a keystroke's echo): send it
     * at once. Stops without parking; an EOF seen here is seen again by the next read.
     */
    private static int readMore(Fd master, byte[] buf, int n) throws IOException {
        int last = n;
        while (last >= STREAMING_READ && buf.length - n >= STREAMING_READ) {
            last = master.read(buf, n, buf.length - n, 0);
            if (last <= 0) break;
            n += last;
        }
        return n;
    }

    /**
     * restart-server: stop reading, so that what the job writes from now on waits in the pty
     * for the next daemon. Returns once the reader has stopped (or after a short while).
     */
    void stop() {
        releasing = true;
        job.pty.master().wake();
        try {
            if (!stopped.await(2, TimeUnit.SECONDS)) log.warn("pty reader did not stop for the hand-over");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The pty's slave side is closed: the runner, its only holder until it starts the job, has
     * exited. One that never reported the start never will: say so soon, not at the start
     * timeout. Soon, not now: a runner whose job ended at once may have exited before the
     * daemon got round to reading its Hello and its report, which are waiting in the socket.
     */
    private void runnerGone() {
        if (job.started.isDone()) return;
        CompletableFuture.delayedExecutor(RUNNER_REPORT_GRACE_SECONDS, TimeUnit.SECONDS, Runnable::run).execute(() -> {
            if (job.started.complete(null)) {
                job.inLogContext(() -> log.warn("runner exited without starting the job"));
            }
        });
    }

    /**
     * The screen tracker sees every byte before a client does; the log and followers come after
     * the client, so a keystroke's echo is on its way before anything else is done with it.
     */
    private void deliver(byte[] buf, int n) {
        job.repaint.output(buf, 0, n);
        toClientOrBacklog(buf, n);
        job.output.publish(buf, 0, n);
    }

    /**
     * Output a previous daemon read but nobody saw: like the pty's, but it is in the disk log
     * already, so it goes to the screen tracker and to a client or the backlog only.
     */
    void seed(byte[] older) {
        job.repaint.output(older, 0, older.length);
        toClientOrBacklog(older, older.length);
    }

    private void toClientOrBacklog(byte[] buf, int n) {
        Attachment a = job.state.output(buf, 0, n);
        if (a == null) return;
        try {
            a.writeOutput(buf, 0, n);
        } catch (IOException e) {
            job.state.outputFailed(a, buf, 0, n);
            job.tellRunnerAttachment();
        }
    }
}
