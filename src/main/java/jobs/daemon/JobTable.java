package jobs.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import jobs.job.Job;
import jobs.protocol.JobInfo;

/**
 * The daemon's jobs by id. Ids start at 1 and are never reused while the daemon lives, so an id
 * a user saw in {@code jobs list} can never name another job later. Lock order: this table,
 * then a job's state.
 */
final class JobTable {
    private final TreeMap<Integer, Job> jobs = new TreeMap<>();
    private int lastId;

    synchronized int nextId() {
        return ++lastId;
    }

    /** An id a surviving job has (Adoptions): new ids go on after it. */
    synchronized void reserve(int id) {
        lastId = Math.max(lastId, id);
    }

    synchronized void add(Job job) {
        jobs.put(job.id(), job);
    }

    synchronized void remove(int id) {
        jobs.remove(id);
    }

    synchronized Optional<Job> get(int id) {
        return Optional.ofNullable(jobs.get(id));
    }

    synchronized List<Job> all() {
        return new ArrayList<>(jobs.values());
    }

    /** The listed job of that name ({@code run --name}). */
    synchronized Optional<Job> named(String name) {
        return jobs.values().stream().filter(j -> name.equals(j.name())).findFirst();
    }

    synchronized boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * bash's {@code %+}: the unattached job most recently stopped or sent to the background;
     * ended jobs only when no live one is waiting.
     */
    synchronized Optional<Job> mostRecent() {
        Comparator<Job> byRecency = Comparator.comparingLong(Job::recency);
        Optional<Job> live = jobs.values().stream()
                .filter(j -> !j.info().attached() && j.info().state() != JobInfo.JobStateName.FINISHED)
                .max(byRecency);
        if (live.isPresent()) return live;
        return jobs.values().stream().filter(j -> !j.info().attached()).max(byRecency);
    }
}
