package jobs.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.PhaseChanges;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.Event.ErrorKind;
import jobs.protocol.JobInfo.JobStateName;
import jobs.protocol.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests that drive jobs without attaching to them: kill, wait and clean. None of them
 * attaches, and none collects a job except clean: a finished job stays listed (and its status
 * deliverable to {@code continue}) however many waiters have seen it end.
 */
final class JobControl {
    private static final Logger log = LoggerFactory.getLogger(JobControl.class);
    /** A waiter looks at its client this often, so that one killed with Ctrl-C does not linger. */
    private static final long RECHECK_MILLIS = 1000;
    /** What a job killed before it started is cancelled with. */
    private static final String KILLED_WAITING = "killed before it started";

    private final JobTable table;
    private final WaitingJobs waiting;

    JobControl(JobTable table, WaitingJobs waiting) {
        this.table = table;
        this.waiting = waiting;
    }

    void kill(Request.Kill k, Connection conn) throws IOException {
        int signal = k.signal();
        if (signal < 1 || signal > 64) {
            conn.send(new Event.Error(ErrorKind.BAD_REQUEST, "bad signal number " + signal));
            return;
        }
        List<String> failures = new ArrayList<>();
        List<Job> targets;
        if (k.all()) {
            waiting.live().forEach(w -> waiting.remove(w, KILLED_WAITING));
            targets = table.all().stream().filter(j -> !j.hasEnded()).toList();
        } else {
            List<String> words = new ArrayList<>();
            for (String word : words(k.jobs())) {
                Optional<WaitingJob> w = waiting.select(word);
                if (w.isEmpty()) words.add(word);
                else if (!w.get().waits()) failures.add("job " + w.get().id + " has already ended (cancelled)");
                else if (!waiting.remove(w.get(), KILLED_WAITING)) words.add(word); // starting: signal it once it runs
            }
            targets = select(words, failures);
            for (Job j : targets) {
                if (j.hasEnded()) failures.add("job " + j.id() + " has already ended");
            }
            targets = targets.stream().filter(j -> !j.hasEnded()).toList();
        }
        targets.forEach(j -> j.signal(signal));
        if (k.timeoutMillis() > 0 && signal != Signals.SIGKILL) {
            awaitEnd(targets, k.timeoutMillis());
            for (Job j : targets) {
                if (!j.hasEnded()) j.signal(Signals.SIGKILL);
            }
        }
        conn.send(new Event.Results(failures));
    }

    /** Returns once every job has ended or millis have passed: kill --timeout, kill-server. */
    static void awaitEnd(List<Job> jobs, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            while (true) {
                long generation = PhaseChanges.generation();
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || jobs.stream().allMatch(Job::hasEnded)) return;
                PhaseChanges.await(generation, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the jobs have ended (the first of them with {@code any}) and sends the
     * Finished of the one that ended last (or first); a Stopped for each job the first time it
     * is seen stopped. No words: every job alive now; none alive: Done at once.
     */
    void await(Request.Wait w, Connection conn) throws IOException {
        List<String> words = words(w.jobs());
        List<Job> jobs = new ArrayList<>();
        List<WaitingJob> notStarted = new ArrayList<>();
        if (words.isEmpty()) {
            jobs.addAll(table.all().stream().filter(j -> !j.hasEnded()).toList());
            notStarted.addAll(waiting.live());
        } else {
            List<String> failures = new ArrayList<>();
            List<String> started = new ArrayList<>();
            for (String word : words) {
                Optional<WaitingJob> found = waiting.select(word);
                if (found.isPresent()) notStarted.add(found.get());
                else started.add(word);
            }
            jobs.addAll(select(started, failures));
            if (!failures.isEmpty()) {
                conn.send(new Event.Error(ErrorKind.NOT_FOUND, failures.getFirst()));
                return;
            }
        }
        if (jobs.isEmpty() && notStarted.isEmpty()) {
            conn.send(new Event.Done());
            return;
        }
        Set<Integer> reported = new HashSet<>();
        List<WaitingJob> cancelled = new ArrayList<>();
        try {
            while (true) {
                long generation = PhaseChanges.generation();
                for (WaitingJob n : List.copyOf(notStarted)) {
                    if (!n.outcome.isDone()) continue;
                    notStarted.remove(n);
                    Job started = n.outcome.getNow(null);
                    if (started != null) jobs.add(started);
                    else cancelled.add(n);
                }
                // a job that never starts is the waiter's answer: 125, whatever the others do
                if (!cancelled.isEmpty() && (w.any() || notStarted.isEmpty() && jobs.stream().allMatch(Job::hasEnded))) {
                    conn.send(QueueRequests.cancelled(cancelled.getFirst()));
                    return;
                }
                Job done = notStarted.isEmpty() || w.any() ? outcome(jobs, w.any()) : null;
                if (done != null) {
                    conn.send(done.finishedEvent());
                    return;
                }
                for (Job j : jobs) {
                    if (j.info().state() == JobStateName.STOPPED && reported.add(j.id())) {
                        conn.send(new Event.Stopped(j.id(), j.command()));
                    }
                }
                if (conn.peerClosed()) return;
                PhaseChanges.await(generation, RECHECK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The job whose status a waiter gets now, or null while it must wait on. */
    private static Job outcome(List<Job> jobs, boolean any) {
        List<Job> ended = jobs.stream().filter(Job::hasEnded).toList();
        if (ended.isEmpty() || jobs.isEmpty() || (!any && ended.size() < jobs.size())) return null;
        Comparator<Job> byEnd = Comparator.comparingLong(Job::endOrder);
        return any ? ended.stream().min(byEnd).orElseThrow() : ended.stream().max(byEnd).orElseThrow();
    }

    /** Removes finished jobs from the table; no words: every finished job no client holds. */
    void clean(Request.Clean c, Connection conn) throws IOException {
        List<String> words = words(c.jobs());
        List<String> failures = new ArrayList<>();
        if (words.isEmpty()) {
            for (Job j : table.all()) {
                if (j.hasEnded()) j.collect();
            }
            waiting.cancelled().forEach(w -> waiting.remove(w, "cancelled"));
        } else {
            List<String> started = new ArrayList<>();
            for (String word : words) {
                Optional<WaitingJob> w = waiting.select(word);
                if (w.isEmpty()) started.add(word);
                else if (w.get().waits()) failures.add("job " + w.get().id + " has not started (remove it with 'jobs kill " + w.get().id + "')");
                else waiting.remove(w.get(), "cancelled");
            }
            for (Job j : select(started, failures)) {
                if (!j.hasEnded()) failures.add("job " + j.id() + " has not ended (end it with 'jobs kill " + j.id() + "')");
                else if (!j.collect()) failures.add("job " + j.id() + " is attached to a terminal");
            }
        }
        log.info("clean: {} failures", failures.size());
        conn.send(new Event.Results(failures));
    }

    /** The jobs the words name, each once, in order; a line in failures for each word that names none. */
    private List<Job> select(List<String> words, List<String> failures) {
        Map<Integer, Job> found = new LinkedHashMap<>();
        for (String word : words) {
            try {
                Job j = JobSelector.select(table, word);
                found.putIfAbsent(j.id(), j);
            } catch (JobSelector.NoSuchJob e) {
                failures.add(e.getMessage());
            }
        }
        return new ArrayList<>(found.values());
    }

    private static List<String> words(List<String> words) {
        if (words == null) return List.of();
        return words.stream().filter(w -> w != null && !w.isEmpty()).toList();
    }
}
