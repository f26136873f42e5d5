package jobs.daemon;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.JobNames;
import jobs.protocol.Request;

/**
 * The requests about jobs that wait: a run with {@code --queue/--after/--delay/--at},
 * {@code jobs queue} and {@code jobs start}; and the one way a client waits in the foreground
 * for such a job to start ({@link #attachWhenStarted}), for run and continue alike.
 */
final class QueueRequests {
    /** A job that starts at once is attached without a "waiting" line first. */
    private static final long QUIET_START_MILLIS = 300;
    /** A waiting client looks at its connection this often: Ctrl-C there leaves the job waiting. */
    private static final long RECHECK_MILLIS = 1000;

    private final JobTable table;
    private final WaitingJobs jobs;
    private final Scheduler scheduler;
    private final RunRequests runs;

    QueueRequests(JobTable table, WaitingJobs jobs, Scheduler scheduler, RunRequests runs) {
        this.table = table;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.runs = runs;
    }

    void run(Request.Run r, Connection conn) throws IOException {
        Event.Error refused = runs.refusalOf(r);
        if (refused == null) refused = queueProblem(r.queue());
        Instant startAt = null;
        if (refused == null && r.startAt() != null) {
            try {
                startAt = Instant.parse(r.startAt());
            } catch (DateTimeParseException e) {
                refused = new Event.Error(ErrorKind.BAD_REQUEST, "bad start time '" + r.startAt() + "'");
            }
        }
        List<Integer> after = new ArrayList<>();
        if (refused == null) refused = dependencies(r.after(), after);
        if (refused != null) {
            conn.send(refused);
            return;
        }
        RunOrder order = RunOrder.of(r, ClientTerminals.size(conn, r.rows(), r.cols()));
        WaitingJob w = jobs.submit(order, r.queue(), after, startAt);
        if (r.detached()) {
            conn.send(new Event.Waiting(w.id, order.command(), jobs.stateText(w)));
            return;
        }
        attachWhenStarted(w, jobs, conn, order.rows(), order.cols());
    }

    /** The ids the words of --after name, each once, in {@code ids}; or why one names none. */
    private Event.Error dependencies(List<String> words, List<Integer> ids) {
        if (words == null) return null;
        Set<Integer> found = new LinkedHashSet<>();
        for (String word : words) {
            if (word == null || word.isEmpty()) return new Event.Error(ErrorKind.BAD_REQUEST, "--after: an empty job id");
            Optional<WaitingJob> w = jobs.select(word);
            if (w.isPresent()) {
                found.add(w.get().id);
                continue;
            }
            try {
                found.add(JobSelector.select(table, word).id());
            } catch (JobSelector.NoSuchJob e) {
                return new Event.Error(ErrorKind.NOT_FOUND, "--after: " + e.getMessage());
            }
        }
        ids.addAll(found);
        return null;
    }

    private static Event.Error queueProblem(String queue) {
        if (queue == null) return null;
        String problem = JobNames.problem(queue);
        return problem == null ? null
                : new Event.Error(ErrorKind.BAD_REQUEST, "bad queue name '" + queue + "': " + problem.replace("a name", "a queue's name"));
    }

    /**
     * Attaches the client once the job starts: a one-line Waiting first unless it starts at
     * once; Finished with why if it never starts. A client that goes away (Ctrl-C) leaves the
     * job as it is.
     */
    static void attachWhenStarted(WaitingJob w, WaitingJobs jobs, Connection conn, int rows, int cols)
            throws IOException {
        Job job;
        try {
            job = w.outcome.get(QUIET_START_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            conn.send(new Event.Waiting(w.id, w.order.command(), jobs.stateText(w)));
            job = awaitStart(w, conn);
            if (job == null && !w.outcome.isDone()) return;
        } catch (InterruptedException | ExecutionException e) {
            return;
        }
        if (job == null) {
            conn.send(cancelled(w));
            return;
        }
        Attach.attach(job, conn, true, false, false, rows, cols);
    }

    /** The job once started; null if it never will, or if the client left first. */
    private static Job awaitStart(WaitingJob w, Connection conn) {
        while (true) {
            try {
                return w.outcome.get(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (conn.peerClosed()) return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                return null;
            }
        }
    }

    static Event.Finished cancelled(WaitingJob w) {
        return new Event.Finished(w.id, w.order.command(), null, null, null,
                w.cancelled == null ? "it never started" : w.cancelled);
    }

    /**
     * {@code jobs log} of a job that has not started: no history yet; with -f, its output from
     * its start on, once it starts (Ctrl-C of the follower leaves the job waiting).
     */
    void log(Request.Log l, LogRequests logs, Connection conn) throws IOException {
        WaitingJob w = jobs.select(l.job()).orElseThrow();
        if (!l.follow()) {
            conn.send(new Event.Done());
            return;
        }
        Job job = awaitStart(w, conn);
        if (job == null) {
            if (w.outcome.isDone()) conn.send(cancelled(w));
            return;
        }
        logs.serve(new Request.Log(Integer.toString(job.id()), l.lines(), true), conn);
    }

    /** {@code jobs queue [NAME [--parallel N] [--pause|--resume]]}. */
    void queue(Request.Queue q, Connection conn) throws IOException {
        boolean changes = q.parallel() != null || q.pause() || q.resume();
        if (q.name() == null) {
            if (changes) conn.send(new Event.Error(ErrorKind.BAD_REQUEST, "which queue? (jobs queue NAME ...)"));
            else conn.send(new Event.Queues(jobs.queueInfos()));
            return;
        }
        Event.Error refused = queueProblem(q.name());
        if (refused == null && q.parallel() != null && q.parallel() < 1) {
            refused = new Event.Error(ErrorKind.BAD_REQUEST, "--parallel must be at least 1");
        }
        if (refused == null && q.pause() && q.resume()) {
            refused = new Event.Error(ErrorKind.BAD_REQUEST, "--pause and --resume together");
        }
        if (refused == null && !changes && jobs.queueInfos().stream().noneMatch(i -> i.name().equals(q.name()))) {
            refused = new Event.Error(ErrorKind.NOT_FOUND, "no queue '" + q.name() + "' (a queue exists once named by run --queue or jobs queue NAME --parallel N)");
        }
        if (refused != null) {
            conn.send(refused);
            return;
        }
        if (changes) jobs.configure(q.name(), q.parallel(), q.pause(), q.resume());
        conn.send(new Event.Queues(jobs.queueInfos().stream().filter(i -> i.name().equals(q.name())).toList()));
    }

    /**
     * {@code jobs rerun ID}: an ended (or cancelled) job runs again as a new job, with its
     * command, directory, environment, name and queue. A named job leaves the list first, as
     * a continue would collect it, so that its name passes to the new one.
     */
    void rerun(Request.Rerun r, Connection conn) throws IOException {
        String word = r.job() == null ? "" : r.job();
        Optional<WaitingJob> notStarted = jobs.select(word);
        Request.Run again;
        if (notStarted.isPresent()) {
            WaitingJob w = notStarted.get();
            if (w.waits()) {
                conn.send(new Event.Error(ErrorKind.BAD_REQUEST, "job " + w.id + " has not run yet ('jobs start " + w.id + "' starts it now)"));
                return;
            }
            jobs.remove(w, "cancelled");
            again = new Request.Run(w.order.command(), w.order.env(), w.order.cwd().toString(), r.rows(), r.cols(),
                    r.detached(), w.order.name(), w.queue, null, null);
        } else {
            Job job;
            try {
                job = JobSelector.select(table, word);
            } catch (JobSelector.NoSuchJob e) {
                conn.send(new Event.Error(ErrorKind.NOT_FOUND, e.getMessage()));
                return;
            }
            if (!job.hasEnded()) {
                conn.send(new Event.Error(ErrorKind.BAD_REQUEST, "job " + job.id() + " has not ended (rerun runs an ended job again)"));
                return;
            }
            if (job.name() != null && !job.collect()) {
                conn.send(new Event.Error(ErrorKind.ALREADY_ATTACHED, "job " + job.id() + " is attached to a terminal"));
                return;
            }
            again = new Request.Run(job.command(), job.env(), job.cwd().toString(), r.rows(), r.cols(), r.detached(),
                    job.name(), jobs.queueOf(job.id()), null, null);
        }
        if (again.waits()) run(again, conn);
        else runs.serve(again, conn);
    }

    /** {@code jobs start ID}: now, ignoring its queue, what it waits for and its delay. */
    void start(Request.Start s, Connection conn) throws IOException {
        String word = s.job() == null ? "" : s.job();
        Optional<WaitingJob> w = jobs.select(word);
        if (w.isEmpty()) {
            String why;
            try {
                why = "job " + JobSelector.select(table, word).id() + " has already started";
            } catch (JobSelector.NoSuchJob e) {
                why = e.getMessage();
            }
            conn.send(new Event.Error(ErrorKind.NOT_FOUND, why));
            return;
        }
        RunRequests.Launch l = scheduler.startNow(w.get());
        if (l.error() != null) {
            conn.send(l.error());
            return;
        }
        conn.send(new Event.Background(l.job().id(), l.job().info().pid(), l.job().command()));
    }
}
