package jobs.daemon;

import java.io.IOException;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;

/**
 * A client's terminal to a job, for run and continue alike: on success this thread goes on to
 * serve the client's control frames until it detaches or the job ends.
 */
final class Attach {
    private Attach() {}

    static void attach(Job job, Connection conn, boolean fetchOutput, boolean steal, boolean returning, int rows,
                       int cols) throws IOException {
        switch (job.attach(conn, fetchOutput, steal, returning, rows, cols)) {
            case BUSY -> conn.send(busy(job));
            case GONE -> conn.send(new Event.Error(ErrorKind.NOT_FOUND, "job " + job.id() + " not found"));
            case ATTACHED -> job.serveControl(conn);
        }
    }

    static Event.Error busy(Job job) {
        return new Event.Error(ErrorKind.ALREADY_ATTACHED, "job " + job.id()
                + " is attached to another terminal (take it over with 'jobs continue --steal " + job.id() + "')");
    }
}
