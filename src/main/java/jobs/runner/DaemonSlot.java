package jobs.runner;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.Report;

/**
 * Which daemon has the job now, the state the next one must learn, and whether a daemon has let
 * the runner go. The wait loop reports through it while the link thread swaps daemons, so a
 * report reaches either the daemon that has the job or the Adopt that hands it to the next one,
 * never neither.
 */
final class DaemonSlot {
    private final Object lock = new Object();
    private DaemonLink link; // guarded by lock; null while no daemon has the job
    private Report last;     // guarded by lock
    private final CountDownLatch released = new CountDownLatch(1);

    DaemonSlot(DaemonLink first) {
        this.link = first;
    }

    /**
     * Tells the daemon, if there is one now; the next one learns the last state from Adopt.
     * False when the send failed: the link thread sees the same loss and deals with it.
     */
    boolean report(Report r) {
        synchronized (lock) {
            last = r;
            if (link == null) return true;
            try {
                link.send(r);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** The daemon behind {@code gone} no longer has the job (unless another one took it since). */
    void vacate(DaemonLink gone) {
        synchronized (lock) {
            if (link == gone) link = null;
        }
    }

    /**
     * Offers the job to the daemon behind {@code next}: the Adopt made from the last report, with
     * the pty master, then the output a restarting daemon left. From here on reports go to it.
     * Returns whether the offer carried the job's end.
     */
    boolean offer(DaemonLink next, StartedJob job, boolean attached, UnseenOutput unseen) throws IOException {
        synchronized (lock) {
            boolean carriedEnd = isEnd(last);
            next.send(job.adopt(last, attached, unseen.bytes()), job.master());
            for (RunnerMessage.Output out : unseen.frames()) next.send(out);
            link = next;
            return carriedEnd;
        }
    }

    private static boolean isEnd(Report r) {
        return r != null && (r.kind() == RunnerMessage.ReportKind.EXITED || r.kind() == RunnerMessage.ReportKind.SIGNALED);
    }

    /** A daemon said Goodbye, or took the final status: the runner may leave. */
    void release() {
        released.countDown();
    }

    boolean isReleased() {
        return released.getCount() == 0;
    }

    void awaitReleased() {
        while (true) {
            try {
                released.await();
                return;
            } catch (InterruptedException e) {
                // nothing interrupts this thread on purpose: keep the final status
            }
        }
    }
}
