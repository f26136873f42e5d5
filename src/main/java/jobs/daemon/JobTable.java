package jobs.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jobs.job.Job;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;

/**
 * The daemon's jobs by id. Ids start at 1 and are never reused while the daemon lives, so an id
 * a user saw in {@code jobs list} can never name another job later. Lock order: this table,
 * then a job's state.
 */
final class JobTable {
    private final TreeMap<Integer, Job> jobs = new TreeMap<>();
    /** Names of jobs that wait to start (Scheduler): a name is unique among waiting jobs too. */
    private final Map<Integer, String> waitingNames = new HashMap<>();
    /**
     * How jobs that left the table ended: null for status 0, else why not, worded for people.
     * A job that waits for one of them (run --after) learns it here even if it was collected first.
     */
    private final Map<Integer, String> pastEnds = new HashMap<>();
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
        Job gone = jobs.remove(id);
        if (gone != null && gone.hasEnded()) pastEnds.put(id, failure(gone));
    }

    /** Why the job's end was not a success (status 0), or null if it was. */
    static String failure(Job job) {
        Event.Finished f = job.finishedEvent();
        if (f.lost() != null) return "job " + f.id() + " was lost (" + f.lost() + ")";
        if (f.signal() != null) return "job " + f.id() + " was killed by " + Signals.name(f.signal());
        if (f.cancelled() != null) return "job " + f.id() + " was cancelled";
        int code = f.exitCode() == null ? 0 : f.exitCode();
        return code == 0 ? null : "job " + f.id() + " ended with status " + code;
    }

    /** A job that ended outside the table (a waiting job killed or cancelled): why it failed. */
    synchronized void ended(int id, String failure) {
        pastEnds.put(id, failure);
    }

    /** How a job that left the table ended, as a dependency (empty: not known here). */
    synchronized Optional<Schedule.Dependency> pastEnd(int id) {
        if (!pastEnds.containsKey(id)) return Optional.empty();
        String failure = pastEnds.get(id);
        return Optional.of(failure == null ? Schedule.Dependency.SUCCEEDED : Schedule.Dependency.failed(failure));
    }

    /** The id of the listed or waiting job of that name. */
    synchronized Optional<Integer> nameHolder(String name) {
        Optional<Job> job = named(name);
        if (job.isPresent()) return Optional.of(job.get().id());
        return waitingNames.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst();
    }

    /** A waiting job holds its name (null: none); {@link #unnameWaiting} lets it go. */
    synchronized void nameWaiting(int id, String name) {
        if (name != null) waitingNames.put(id, name);
    }

    synchronized void unnameWaiting(int id) {
        waitingNames.remove(id);
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
