package jobs.daemon;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.RunnerTokens;
import jobs.posix.Fd;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runners connecting to the daemon, each on the thread that then serves it: the runner of a job
 * just started (Hello, with the job's token), a warm runner joining the pool, and the runner of
 * an earlier daemon bringing its job back (Adopt, with the job's pty).
 */
final class RunnerArrivals {
    private static final Logger log = LoggerFactory.getLogger(RunnerArrivals.class);

    private final JobTable table;
    private final RunnerPool pool;
    private final Adoptions adoptions;
    private final AtomicBoolean shuttingDown;

    RunnerArrivals(JobTable table, RunnerPool pool, Adoptions adoptions, AtomicBoolean shuttingDown) {
        this.table = table;
        this.pool = pool;
        this.adoptions = adoptions;
        this.shuttingDown = shuttingDown;
    }

    void hello(RunnerMessage.Hello hello, Connection conn) {
        Optional<Job> job = table.get(hello.jobId());
        if (job.isEmpty() || !RunnerTokens.same(job.get().token(), hello.token())) {
            log.warn("refused a runner for job {}: unknown job or wrong token", hello.jobId());
            return;
        }
        MDC.put("job", Integer.toString(hello.jobId()));
        Thread.currentThread().setName("job-" + hello.jobId() + " runner");
        job.get().serveRunner(conn);
    }

    void warm(RunnerMessage.Warm hello, Connection conn) {
        pool.arrived(hello, conn);
    }

    /** A runner whose daemon died (or was restarted) brings its job back. */
    void adopt(RunnerMessage.Adopt adopt, Connection conn) throws IOException {
        if (shuttingDown.get()) {
            // only this daemon's copy of the pty master: the job stays with its runner
            int fd = conn.takeDescriptor();
            if (fd >= 0) Fd.closeRaw(fd);
            return;
        }
        adoptions.arrived(adopt, conn);
    }
}
