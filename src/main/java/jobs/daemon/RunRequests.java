package jobs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.WarmRunner;
import jobs.posix.Errno;
import jobs.posix.Executables;
import jobs.posix.Lookup;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.Request;
import jobs.protocol.RunnerMessage;

/**
 * {@code jobs run}: every check that can refuse comes before anything is started; then the job
 * starts in a warm runner if the pool has one, else in a new runner once it is this run's turn
 * ({@link RunnerStarts}); once its runner reports the job running, the client attaches, or
 * with {@code -d} leaves it in the background.
 */
final class RunRequests {
    private final JobTable table;
    private final RunnerPool pool;
    private final RunnerStarts starts;
    private final JobStarter starter;
    private final AtomicBoolean shuttingDown;

    RunRequests(JobTable table, RunnerPool pool, RunnerStarts starts, JobStarter starter, AtomicBoolean shuttingDown) {
        this.table = table;
        this.pool = pool;
        this.starts = starts;
        this.starter = starter;
        this.shuttingDown = shuttingDown;
    }

    void serve(Request.Run r, Connection conn) throws IOException {
        Event.Error refused = refusalOf(r);
        if (refused != null) {
            conn.send(refused);
            return;
        }
        RunOrder order = RunOrder.of(r, ClientTerminals.size(conn, r.rows(), r.cols()));
        Launch launch = launch(order, table.nextId());
        if (launch.error() != null) {
            conn.send(launch.error());
            return;
        }
        Job job = launch.job();
        if (order.detached()) {
            job.markBackground();
            conn.send(new Event.Background(job.id(), job.info().pid(), order.command()));
            return;
        }
        Attach.attach(job, conn, true, false, false, order.rows(), order.cols());
    }

    /** Why the request cannot be run, from its words or on this machine, or null. */
    Event.Error refusalOf(Request.Run r) {
        Event.Error refused = refusal(r);
        return refused != null ? refused : unrunnable(RunOrder.of(r));
    }

    /** A job whose runner reported it running, or why there is none (the client's error). */
    record Launch(Job job, Event.Error error) {}

    /** Starts the order as job {@code id}: now for a run, later for a job that waited (Scheduler). */
    Launch launch(RunOrder order, int id) throws IOException {
        Started started = start(order, id);
        if (started == null) return new Launch(null, shuttingDown());
        Job job = started.job();
        RunnerMessage.Report report = started.report();
        if (report == null || report.kind() != RunnerMessage.ReportKind.RUNNING) {
            starter.discard(job);
            return new Launch(null, spawnError(order.program(), report));
        }
        return new Launch(job, null);
    }

    /** Why the request itself cannot be run, or null. */
    private Event.Error refusal(Request.Run r) {
        if (shuttingDown.get()) return shuttingDown();
        String invalid = RunOrder.invalid(r);
        if (invalid != null) return new Event.Error(ErrorKind.BAD_REQUEST, invalid);
        if (r.name() == null) return null;
        Optional<Integer> clash = table.nameHolder(r.name());
        return clash.map(id -> new Event.Error(ErrorKind.BAD_REQUEST,
                "the name '" + r.name() + "' is taken by job " + id)).orElse(null);
    }

    /** Why this machine cannot run the order (no such directory or program), or null. */
    private static Event.Error unrunnable(RunOrder order) {
        if (!Files.isDirectory(order.cwd())) {
            return new Event.Error(ErrorKind.BAD_REQUEST, "working directory " + order.cwd() + " does not exist");
        }
        String name = order.program();
        Lookup found = Executables.resolve(name, order.env().getOrDefault("PATH", Executables.DEFAULT_PATH), order.cwd());
        if (found instanceof Lookup.NotFound) return new Event.Error(ErrorKind.COMMAND_NOT_FOUND, name + ": command not found");
        if (found instanceof Lookup.NotExecutable) return new Event.Error(ErrorKind.NOT_EXECUTABLE, name + ": permission denied");
        return null;
    }

    private record Started(Job job, RunnerMessage.Report report) {}

    /** The job and its runner's first report (null: none in time); null when the daemon shuts down. */
    private Started start(RunOrder order, int id) throws IOException {
        if (shuttingDown.get()) return null;
        WarmRunner warm = pool.claim();
        if (warm != null) {
            Job job = starter.inWarmRunner(order, warm, id);
            return new Started(job, starter.awaitStart(job));
        }
        try {
            starts.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            // a run that waited for its turn through a kill-server must not start a job now
            if (shuttingDown.get()) return null;
            Job job = starter.inNewRunner(order, id);
            return new Started(job, starter.awaitStart(job));
        } finally {
            starts.release();
        }
    }

    private static Event.Error spawnError(String name, RunnerMessage.Report report) {
        if (report == null) return new Event.Error(ErrorKind.SPAWN_FAILED, name + ": the job's runner did not start");
        Integer errno = report.errno();
        if (errno != null && errno == Errno.ENOENT) return new Event.Error(ErrorKind.COMMAND_NOT_FOUND, name + ": command not found");
        if (errno != null && errno == Errno.EACCES) return new Event.Error(ErrorKind.NOT_EXECUTABLE, name + ": permission denied");
        return new Event.Error(ErrorKind.SPAWN_FAILED,
                name + ": cannot start: " + (errno == null ? "unknown error" : Errno.name(errno)));
    }

    private static Event.Error shuttingDown() {
        return new Event.Error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down");
    }
}
