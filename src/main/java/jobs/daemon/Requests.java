package jobs.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.config.StatePaths;
import jobs.history.LogStores;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.JobServices;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.JobInfo;
import jobs.protocol.Message;
import jobs.protocol.Request;
import jobs.protocol.RunnerMessage;

/**
 * Where a connection's first frame goes: a client's request to the handler of its kind, a
 * runner's first frame to {@link RunnerArrivals}. Refusals go back as {@link Event.Error},
 * worded for people.
 */
final class Requests {
    private final JobTable table;
    private final RunnerPool pool;
    private final Adoptions adoptions;
    private final RunRequests runs;
    private final ContinueRequests continues;
    private final JobControl control;
    private final LogRequests logs;
    private final RunnerArrivals arrivals;
    private final Shutdown shutdown;
    private final WaitingJobs waiting;
    private final Scheduler scheduler;
    private final QueueRequests queues;

    Requests(RuntimePaths paths, Settings settings, JobTable table, Runnable stopServer) throws IOException {
        this(paths, settings, table, stopServer, null);
    }

    /** With the output logs under state (null: none kept). */
    Requests(RuntimePaths paths, Settings settings, JobTable table, Runnable stopServer, StatePaths state)
            throws IOException {
        this.table = table;
        AtomicBoolean shuttingDown = new AtomicBoolean();
        RunnerStarts starts = new RunnerStarts();
        this.pool = new RunnerPool(settings.warmRunners(), paths, starts);
        JobServices services = new JobServices(LogStores.open(state, settings), new UnattendedEvents(
                List.of(new ShellNotices(paths), new NotifyCommand(settings.notifyCommand(), paths.dir())),
                shuttingDown::get));
        this.adoptions = new Adoptions(paths, table, RunnerSecret.loadOrCreate(paths.secret()), settings.backlogBytes(),
                settings.adoption(), services);
        JobStarter starter = new JobStarter(paths, settings.backlogBytes(), table, adoptions, services);
        this.runs = new RunRequests(table, pool, starts, starter, shuttingDown);
        this.waiting = new WaitingJobs(table, adoptions, new SchedulerStore(
                (state == null ? paths.dir() : state.dir()).resolve("queues.json")));
        this.scheduler = new Scheduler(waiting, adoptions, runs, services.unattended());
        this.queues = new QueueRequests(table, waiting, scheduler, runs);
        this.continues = new ContinueRequests(table, adoptions, waiting);
        this.control = new JobControl(table, waiting);
        this.logs = new LogRequests(table);
        this.arrivals = new RunnerArrivals(table, pool, adoptions, shuttingDown);
        this.shutdown = new Shutdown(shuttingDown, settings.killGraceMillis(), table, pool, adoptions, services.logs(),
                stopServer, scheduler);
        adoptions.recall();
        waiting.recall();
    }

    /** Begins filling the pool of warm runners, in the background. */
    void startPool() {
        pool.start();
        scheduler.start();
    }

    /** Serves a connection from its first frame on, on the caller's thread. */
    void serve(Message first, Connection conn) throws IOException {
        switch (first) {
            case Request r -> handle(r, conn);
            case RunnerMessage.Hello h -> arrivals.hello(h, conn);
            case RunnerMessage.Warm w -> arrivals.warm(w, conn);
            case RunnerMessage.Adopt a -> arrivals.adopt(a, conn);
            default -> conn.send(new Event.Error(ErrorKind.BAD_REQUEST,
                    "expected a request, got " + first.getClass().getSimpleName()));
        }
    }

    private void handle(Request r, Connection conn) throws IOException {
        switch (r) {
            case Request.Run run when run.waits() -> queues.run(run, conn);
            case Request.Run run -> runs.serve(run, conn);
            case Request.Queue q -> queues.queue(q, conn);
            case Request.Start s -> queues.start(s, conn);
            case Request.Rerun again -> queues.rerun(again, conn);
            case Request.Continue c -> continues.serve(c, conn);
            case Request.ListJobs l -> list(conn);
            case Request.KillServer k -> shutdown.killServer(conn);
            case Request.Kill k -> control.kill(k, conn);
            case Request.Wait w -> control.await(w, conn);
            case Request.Clean c -> control.clean(c, conn);
            case Request.Log l when l.job() != null && waiting.select(l.job()).isPresent() -> queues.log(l, logs, conn);
            case Request.Log l -> logs.serve(l, conn);
            case Request.RestartServer k -> shutdown.restartServer(conn);
            case Request.Resize z -> conn.send(new Event.Error(ErrorKind.BAD_REQUEST, "resize without an attached job"));
        }
    }

    private void list(Connection conn) throws IOException {
        adoptions.awaitSettled();
        List<JobInfo> jobs = new ArrayList<>();
        for (Job j : table.all()) {
            String queue = waiting.queueOf(j.id());
            jobs.add(queue == null ? j.info() : j.info().withQueue(queue));
        }
        jobs.addAll(waiting.infos());
        jobs.sort(Comparator.comparingInt(JobInfo::id));
        conn.send(new Event.JobList(jobs, adoptions.notBack(), ClientTerminals.columns(conn)));
    }

    /** Waits (briefly) until a kill-server or restart-server has told its client. */
    void awaitStopped() {
        shutdown.awaitStopped();
    }
}
