package jobs.daemon;

import jobs.history.LogStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.config.StatePaths;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.JobServices;
import jobs.job.JobSpec;
import jobs.job.RunnerTokens;
import jobs.job.WarmRunner;
import jobs.posix.Errno;
import jobs.posix.Executables;
import jobs.posix.Lookup;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.Request;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One method per request. Refusals go back as {@link Event.Error}, worded for people. */
final class Requests {
    private static final Logger log = LoggerFactory.getLogger(Requests.class);
    /** struct winsize holds unsigned shorts; no real terminal comes near this. */
    private static final int MAX_WINDOW = 10_000;

    private final RuntimePaths paths;
    private final Settings settings;
    private final JobTable table;
    private final Runnable stopServer;
    private final RunnerStarts starts = new RunnerStarts();
    private final RunnerPool pool;
    private final JobControl control;
    private final JobServices services;
    private final LogRequests logs;
    private final Adoptions adoptions;
    private volatile boolean shuttingDown;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    Requests(RuntimePaths paths, Settings settings, JobTable table, Runnable stopServer) throws IOException {
        this(paths, settings, table, stopServer, null);
    }

    /** With the output logs under state (null: none kept). */
    Requests(RuntimePaths paths, Settings settings, JobTable table, Runnable stopServer, StatePaths state)
            throws IOException {
        this.paths = paths;
        this.settings = settings;
        this.table = table;
        this.stopServer = stopServer;
        this.pool = new RunnerPool(settings.warmRunners(), paths, starts);
        this.control = new JobControl(table);
        this.services = new JobServices(LogStores.open(state, settings), new UnattendedEvents(
                List.of(new ShellNotices(paths), new NotifyCommand(settings.notifyCommand(), paths.dir())),
                () -> shuttingDown));
        this.logs = new LogRequests(table);
        this.adoptions = new Adoptions(paths, table, RunnerSecret.loadOrCreate(paths.secret()), settings.backlogBytes(),
                settings.adoption(), services);
        adoptions.recall();
    }

    /** Begins filling the pool of warm runners, in the background. */
    void startPool() {
        pool.start();
    }

    void handle(Request r, Connection conn) throws IOException {
        switch (r) {
            case Request.Run run -> run(run, conn);
            case Request.Continue c -> {
                adoptions.awaitSettled();
                if (c.returning() && c.id() != null) adoptions.awaitRunnerOf(c.id());
                resume(c, conn);
            }
            case Request.ListJobs l -> {
                adoptions.awaitSettled();
                conn.send(new Event.JobList(table.all().stream().map(Job::info).toList(), adoptions.notBack()));
            }
            case Request.KillServer k -> killServer(conn);
            case Request.Kill k -> control.kill(k, conn);
            case Request.Wait w -> control.await(w, conn);
            case Request.Clean c -> control.clean(c, conn);
            case Request.Log l -> logs.serve(l, conn);
            case Request.RestartServer k -> restartServer(conn);
            case Request.Resize z -> conn.send(error(ErrorKind.BAD_REQUEST, "resize without an attached job"));
        }
    }

    private void run(Request.Run r, Connection conn) throws IOException {
        if (shuttingDown) {
            conn.send(error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
            return;
        }
        String invalid = RunChecks.invalid(r);
        if (invalid != null) {
            conn.send(error(ErrorKind.BAD_REQUEST, invalid));
            return;
        }
        if (r.name() != null) {
            Optional<Job> clash = table.named(r.name());
            if (clash.isPresent()) {
                conn.send(error(ErrorKind.BAD_REQUEST, "the name '" + r.name() + "' is taken by job " + clash.get().id()));
                return;
            }
        }
        List<String> command = r.command();
        Map<String, String> env = r.env() == null ? Map.of() : r.env();
        Path cwd = r.cwd() == null ? Path.of("/") : Path.of(r.cwd());
        if (!Files.isDirectory(cwd)) {
            conn.send(error(ErrorKind.BAD_REQUEST, "working directory " + cwd + " does not exist"));
            return;
        }
        String name = command.get(0);
        Lookup found = Executables.resolve(name, env.getOrDefault("PATH", Executables.DEFAULT_PATH), cwd);
        if (found instanceof Lookup.NotFound) {
            conn.send(error(ErrorKind.COMMAND_NOT_FOUND, name + ": command not found"));
            return;
        }
        if (found instanceof Lookup.NotExecutable) {
            conn.send(error(ErrorKind.NOT_EXECUTABLE, name + ": permission denied"));
            return;
        }
        int rows = r.rows() > 0 ? Math.min(r.rows(), MAX_WINDOW) : 24;
        int cols = r.cols() > 0 ? Math.min(r.cols(), MAX_WINDOW) : 80;
        WarmRunner warm = pool.claim();
        Job job;
        RunnerMessage.Report report;
        if (warm != null) {
            int id = table.nextId();
            MDC.put("job", Integer.toString(id));
            job = Job.adopt(new JobSpec(id, command, env, cwd, rows, cols, r.name()), warm, settings.backlogBytes(),
                    () -> forget(id), services, adoptions.secret());
            table.add(job);
            adoptions.started(id, job.runnerPid());
            warm.hand(job);
            log.info("started job {} in warm runner {} (pid {}): {}", id, warm.number(), warm.pid(), command);
            report = awaitStart(job);
        } else {
            try {
                starts.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.send(error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
                return;
            }
            try {
                // a run that waited for its turn through a kill-server must not start a job now
                if (shuttingDown) {
                    conn.send(error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
                    return;
                }
                job = launch(command, env, cwd, rows, cols, r.name());
                report = awaitStart(job);
            } finally {
                starts.release();
            }
        }
        int id = job.id();
        if (report == null || report.kind() != RunnerMessage.ReportKind.RUNNING) {
            forget(id);
            job.kill();
            conn.send(spawnError(name, report));
            return;
        }
        if (r.detached()) {
            job.markBackground();
            conn.send(new Event.Background(id, job.info().pid(), command));
            return;
        }
        attach(job, conn, true, false, false, rows, cols);
    }

    /** A job in a runner of its own, started now: the pool had none waiting. */
    private Job launch(List<String> command, Map<String, String> env, Path cwd, int rows, int cols, String name)
            throws IOException {
        int id = table.nextId();
        MDC.put("job", Integer.toString(id));
        String token = RunnerTokens.fresh();
        List<String> runnerArgv = JvmCommand.runner(List.of(Integer.toString(id), token, paths.socket().toString()));
        Job job = Job.launch(new JobSpec(id, command, env, cwd, rows, cols, name), runnerArgv, token,
                settings.backlogBytes(), () -> forget(id), services, adoptions.secret());
        table.add(job);
        adoptions.started(id, job.runnerPid());
        log.info("started job {}: {}", id, command);
        return job;
    }

    private RunnerMessage.Report awaitStart(Job job) {
        try {
            return job.started().get(RunnerStarts.DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.error("runner of job {} did not report within {} s", job.id(), RunnerStarts.DEADLINE_SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static Event.Error spawnError(String name, RunnerMessage.Report report) {
        if (report == null) return error(ErrorKind.SPAWN_FAILED, name + ": the job's runner did not start");
        Integer errno = report.errno();
        if (errno != null && errno == Errno.ENOENT) return error(ErrorKind.COMMAND_NOT_FOUND, name + ": command not found");
        if (errno != null && errno == Errno.EACCES) return error(ErrorKind.NOT_EXECUTABLE, name + ": permission denied");
        return error(ErrorKind.SPAWN_FAILED, name + ": cannot start: " + (errno == null ? "unknown error" : Errno.name(errno)));
    }

    private void resume(Request.Continue c, Connection conn) throws IOException {
        Optional<Job> found;
        if (c.job() != null) {
            try {
                found = Optional.of(JobSelector.select(table, c.job()));
            } catch (JobSelector.NoSuchJob e) {
                conn.send(error(ErrorKind.NOT_FOUND, e.getMessage()));
                return;
            }
        } else {
            found = c.id() == null ? table.mostRecent() : table.get(c.id());
        }
        if (found.isEmpty()) {
            conn.send(c.id() == null
                    ? error(ErrorKind.NOT_FOUND, "no job to continue")
                    : error(ErrorKind.NOT_FOUND, "job " + c.id() + " not found"));
            return;
        }
        Job job = found.get();
        MDC.put("job", Integer.toString(job.id()));
        if (c.detached()) {
            switch (job.background()) {
                case RUNNING -> conn.send(new Event.Background(job.id(), job.info().pid(), job.command()));
                case BUSY -> conn.send(busy(job));
                case FINISHED -> conn.send(job.finishedEvent());
            }
            return;
        }
        attach(job, conn, c.fetchOutput(), c.steal(), c.returning(), c.rows(), c.cols());
    }

    private void attach(Job job, Connection conn, boolean fetchOutput, boolean steal, boolean returning, int rows,
                        int cols) throws IOException {
        switch (job.attach(conn, fetchOutput, steal, returning, rows, cols)) {
            case BUSY -> conn.send(busy(job));
            case GONE -> conn.send(error(ErrorKind.NOT_FOUND, "job " + job.id() + " not found"));
            case ATTACHED -> job.serveControl(conn);
        }
    }

    private static Event.Error busy(Job job) {
        return error(ErrorKind.ALREADY_ATTACHED, "job " + job.id()
                + " is attached to another terminal (take it over with 'jobs continue --steal " + job.id() + "')");
    }

    void runnerArrived(RunnerMessage.Hello hello, Connection conn) {
        Optional<Job> job = table.get(hello.jobId());
        if (job.isEmpty() || !RunnerTokens.same(job.get().token(), hello.token())) {
            log.warn("refused a runner for job {}: unknown job or wrong token", hello.jobId());
            return;
        }
        MDC.put("job", Integer.toString(hello.jobId()));
        Thread.currentThread().setName("job-" + hello.jobId() + " runner");
        job.get().serveRunner(conn);
    }

    private void forget(int id) {
        table.remove(id);
        adoptions.gone(id);
    }

    /** A runner whose daemon died (or was restarted) brings its job back. */
    void runnerReturned(RunnerMessage.Adopt adopt, Connection conn) throws IOException {
        if (shuttingDown) {
            int fd = conn.takeDescriptor();
            if (fd >= 0) jobs.posix.Fd.closeRaw(fd);
            return;
        }
        adoptions.arrived(adopt, conn);
    }

    void warmRunnerArrived(RunnerMessage.Warm hello, Connection conn) {
        pool.arrived(hello, conn);
    }

    /**
     * SIGHUP to every job, as when a terminal closes; SIGKILL to what is left after the grace
     * period; then the socket goes and the daemon exits. Attached clients get their job's end.
     */
    private void killServer(Connection conn) throws IOException {
        shuttingDown = true;
        pool.stop();
        log.info("kill-server: hanging up {} jobs", table.all().size());
        List<Job> jobs = table.all();
        jobs.forEach(Job::hangUp);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.killGraceMillis());
        while (System.nanoTime() < deadline && !jobs.stream().allMatch(Job::hasEnded)) {
            sleep(20);
        }
        for (Job j : jobs) {
            if (!j.hasEnded()) {
                j.inLogContext(() -> {
                    log.info("job {} ignored SIGHUP: killing it", j.id());
                    j.kill();
                });
            }
        }
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < settle && !jobs.stream().allMatch(Job::hasEnded)) {
            sleep(20);
        }
        jobs.forEach(Job::kill);
        adoptions.forgetAll();
        stopServer.run();
        try {
            conn.send(new Event.Done());
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Hands every job to the next daemon: no job is touched. Each stops being read (what it
     * writes waits in its pty) and its runner gets what was read and not seen; then the socket
     * goes and the daemon exits, closing every runner's and client's connection: runners come
     * back to the next daemon, attached clients follow (see client.Reattach).
     */
    private void restartServer(Connection conn) throws IOException {
        if (shuttingDown) {
            // one hand-over is enough: several clients may meet an old daemon at once
            conn.send(error(ErrorKind.SHUTTING_DOWN, "the daemon is shutting down"));
            return;
        }
        shuttingDown = true;
        pool.stop();
        List<Job> jobs = table.all();
        log.info("restart-server: handing {} jobs over", jobs.size());
        for (Job j : jobs) j.inLogContext(j::handOver);
        if (!services.logs().awaitWritten(5_000)) log.warn("restart-server: the output logs were not all written in time");
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Event.Error error(ErrorKind kind, String message) {
        return new Event.Error(kind, message);
    }
}
