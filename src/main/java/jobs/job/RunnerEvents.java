package jobs.job;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import jobs.history.DiskLog;
import jobs.posix.Signals;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's direction of a job: on the runner connection's thread, read its reports (started,
 * stopped, continued, ended) one by one and apply each to the job, until the job's end or the
 * runner's loss.
 */
final class RunnerEvents {
    private static final Logger log = LoggerFactory.getLogger(RunnerEvents.class);
    private static final String RUNNER_DIED = "its runner died";
    /** Enough of a log's end to hold a full-screen program's last switch of screens. */
    private static final int RECALLED_SCREEN_BYTES = 256 * 1024;

    private final Job job;

    RunnerEvents(Job job) {
        this.job = job;
    }

    /** A runner this daemon started: give it its Start, then serve its reports. */
    void serve(Connection conn) {
        Message first;
        try {
            sendStart(conn);
            first = conn.read();
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
            first = null;
        }
        serve(conn, first);
    }

    /**
     * With an adoption secret the pty master goes along, so that the runner holds it when this
     * daemon is gone, with the token that proves the runner to the next daemon.
     */
    void sendStart(Connection conn) throws IOException {
        JobSpec spec = job.spec;
        String cwd = spec.cwd().toString();
        if (job.adoptionSecret == null) {
            job.runner.start(conn, new RunnerMessage.Start(spec.command(), spec.env(), cwd), -1);
        } else {
            String adoptToken = RunnerTokens.adoption(job.adoptionSecret, spec.id(), job.pty.runnerPid());
            job.runner.start(conn, new RunnerMessage.Start(spec.command(), spec.env(), cwd, spec.id(), adoptToken,
                    spec.name()), job.pty.masterNumber());
        }
        job.tellRunnerAttachment();
    }

    /**
     * What an adopted job's runner says of it in its Adopt: its pid, what its runner understands
     * and last heard, and its state. A job whose client was attached is held for that client for
     * {@code holdNanos}.
     */
    void adopted(RunnerMessage.Adopt a, long holdNanos) {
        job.group.started(a.pid());
        job.repaint.adopted(DiskLog.tail(job.output.logFile(), RECALLED_SCREEN_BYTES));
        job.runner.adopted(a.contract(), a.attached());
        if (a.attached()) job.state.holdForReturningClient(holdNanos);
        job.started.complete(RunnerMessage.Report.running(a.pid()));
        switch (a.state() == null ? RunnerMessage.ReportKind.RUNNING : a.state()) {
            case STOPPED -> job.state.stopped();
            case EXITED, SIGNALED, SPAWN_FAILED -> job.state.ended(a.exitCode(), a.signal(), null).apply();
            case RUNNING -> { }
        }
    }

    /** When an adopted job started, as its runner says; now if it cannot say. */
    static Instant startedAt(RunnerMessage.Adopt a) {
        try {
            return a.startedAt() == null ? Instant.now() : Instant.parse(a.startedAt());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    /** An adopted job's runner (see Job.takeOver): it has its job already. */
    void serveAdopted(Connection conn) {
        job.runner.serving(conn);
        job.tellRunnerAttachment();
        job.ptyToClient.start();
        if (job.hasEnded()) {
            // the runner brought the final status and leaves now: its going is no loss
            try {
                while (conn.read() != null) {
                    // nothing more is expected
                }
            } catch (IOException ignored) {
                // gone either way
            }
            conn.close();
            return;
        }
        Message first;
        try {
            first = conn.read();
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
            first = null;
        }
        serve(conn, first);
    }

    /** Serves the runner's frames, the first of them already read, until its end or its loss. */
    void serve(Connection conn, Message first) {
        boolean ended = false;
        try {
            for (Message m = first; m instanceof RunnerMessage.Report r; m = conn.read()) {
                ended = onReport(r);
                if (ended) break;
            }
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
        } finally {
            if (ended) {
                try {
                    conn.send(new RunnerMessage.Goodbye());
                } catch (IOException gone) {
                    // the runner has left already; it needed no word
                }
            }
            conn.close();
            if (!ended) runnerLost();
        }
    }

    /** Returns true once the job has ended. */
    private boolean onReport(RunnerMessage.Report r) {
        log.info("runner reports {}", r.kind());
        switch (r.kind()) {
            case RUNNING -> {
                if (!job.started.isDone()) {
                    job.group.started(r.pid());
                    job.started.complete(r);
                } else {
                    job.state.continued();
                    job.repaint.continued();
                }
                return false;
            }
            case STOPPED -> {
                boolean attached = job.state.view().attached();
                if (job.state.stopped()) {
                    job.pty.master().wake();
                    if (!attached) job.announcements.stopped(r.signal());
                }
                return false;
            }
            case EXITED, SIGNALED -> {
                job.settle(job.state.ended(r.exitCode(), r.signal(), null));
                job.pty.master().wake();
                return true;
            }
            case SPAWN_FAILED -> {
                job.started.complete(r);
                job.settle(job.state.ended(127, null, null));
                job.pty.master().wake();
                return true;
            }
        }
        return false;
    }

    /** A runner that vanished without a final report leaves an unmanaged job: end it. */
    private void runnerLost() {
        job.started.complete(null);
        if (job.group.pid() > 0) {
            log.warn("runner lost ({}); killing process group {}", job.pty.runnerEnd(), job.group.pid());
            job.group.send(Signals.SIGKILL);
        }
        job.settle(job.state.ended(null, Signals.SIGKILL, RUNNER_DIED));
        job.pty.master().wake();
    }
}
