package jobs.daemon;

import java.io.IOException;
import java.util.Optional;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.Request;
import org.slf4j.MDC;

/**
 * {@code jobs continue}: attaches the client to a job (the current one if it names none), or
 * with {@code -d} lets the job run on in the background. A client that comes back to a new
 * daemon after a restart first waits for its job's runner to come back too.
 */
final class ContinueRequests {
    private final JobTable table;
    private final Adoptions adoptions;
    private final WaitingJobs waiting;

    ContinueRequests(JobTable table, Adoptions adoptions, WaitingJobs waiting) {
        this.table = table;
        this.adoptions = adoptions;
        this.waiting = waiting;
    }

    void serve(Request.Continue c, Connection conn) throws IOException {
        WinSize window = ClientTerminals.size(conn, c.rows(), c.cols());
        adoptions.awaitSettled();
        if (c.returning() && c.id() != null) adoptions.awaitRunnerOf(c.id());
        Optional<WaitingJob> notStarted = c.job() != null ? waiting.select(c.job())
                : c.id() != null ? waiting.get(c.id()) : Optional.empty();
        if (notStarted.isPresent()) {
            continueWaiting(notStarted.get(), c, conn);
            return;
        }
        Optional<Job> found;
        try {
            found = find(c);
        } catch (JobSelector.NoSuchJob e) {
            conn.send(new Event.Error(ErrorKind.NOT_FOUND, e.getMessage()));
            return;
        }
        if (found.isEmpty()) {
            conn.send(new Event.Error(ErrorKind.NOT_FOUND, c.id() == null ? "no job to continue" : "job " + c.id() + " not found"));
            return;
        }
        Job job = found.get();
        MDC.put("job", Integer.toString(job.id()));
        if (c.detached()) {
            switch (job.background()) {
                case RUNNING -> conn.send(new Event.Background(job.id(), job.info().pid(), job.command()));
                case BUSY -> conn.send(Attach.busy(job));
                case FINISHED -> conn.send(job.finishedEvent());
            }
            return;
        }
        Attach.attach(job, conn, c.fetchOutput(), c.steal(), c.returning(), window.rows(), window.cols());
    }

    /**
     * A job that has not started: attached once it starts (-d: told what it waits for). A
     * cancelled one gives its status and leaves the list, as a finished job does.
     */
    private void continueWaiting(WaitingJob w, Request.Continue c, Connection conn) throws IOException {
        if (w.outcome.isDone() && w.outcome.getNow(null) == null) {
            waiting.remove(w, "cancelled");
            conn.send(QueueRequests.cancelled(w));
        } else if (c.detached()) {
            conn.send(new Event.Waiting(w.id, w.order.command(), waiting.stateText(w)));
        } else {
            QueueRequests.attachWhenStarted(w, waiting, conn, c.rows(), c.cols());
        }
    }

    /** The job a word names (see JobSelector), else the one of the id, else the current job. */
    private Optional<Job> find(Request.Continue c) throws JobSelector.NoSuchJob {
        if (c.job() != null) return Optional.of(JobSelector.select(table, c.job()));
        return c.id() == null ? table.mostRecent() : table.get(c.id());
    }
}
