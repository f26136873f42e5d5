package jobs.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import jobs.job.Job;
import jobs.job.PhaseChanges;
import jobs.protocol.JobInfo;
import jobs.protocol.QueueInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs that wait to start, the queues' settings and which started job holds a slot of
 * which queue: the state the {@link Scheduler} decides on, under one lock, saved
 * ({@link SchedulerStore}) at every change. A waiting job keeps its id from the start; it is
 * listed from here until it starts, and from the {@link JobTable} after.
 */
final class WaitingJobs {
    private static final Logger log = LoggerFactory.getLogger(WaitingJobs.class);

    private final JobTable table;
    private final Adoptions adoptions;
    private final SchedulerStore store;
    final ReentrantLock lock = new ReentrantLock();
    final TreeMap<Integer, WaitingJob> waiting = new TreeMap<>(); // guarded by lock
    final Map<String, Schedule.QueueSetting> queues = new LinkedHashMap<>(); // guarded by lock
    /** Jobs started from a queue, by id: each holds a slot of its queue while it lives. */
    final Map<Integer, String> members = new HashMap<>(); // guarded by lock
    /** The queue of every job started from one, for list and rerun; not saved (a restart forgets it). */
    final Map<Integer, String> startedIn = new HashMap<>(); // guarded by lock

    WaitingJobs(JobTable table, Adoptions adoptions, SchedulerStore store) {
        this.table = table;
        this.adoptions = adoptions;
        this.store = store;
    }

    JobTable table() {
        return table;
    }

    /** The queue a started job came from, or null. */
    String queueOf(int id) {
        lock.lock();
        try {
            return startedIn.getOrDefault(id, members.get(id));
        } finally {
            lock.unlock();
        }
    }

    /** What it waits for, worded for people ("Queued in gpu"). */
    String stateText(WaitingJob w) {
        lock.lock();
        try {
            return w.stateText(Instant.now());
        } finally {
            lock.unlock();
        }
    }

    /** kill-server: nothing waits any more, in this daemon or a later one. */
    void forget() {
        lock.lock();
        try {
            store.clear();
            for (WaitingJob w : waiting.values()) {
                if (w.cancelled == null) w.cancelled = "ended by kill-server";
                w.outcome.complete(null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** At start, after Adoptions.recall: what the previous daemon left waiting. */
    void recall() {
        SchedulerStore.State s = store.read();
        lock.lock();
        try {
            queues.putAll(s.queues());
            for (SchedulerStore.Saved saved : s.waiting()) {
                if (adoptions.expects(saved.id())) {
                    // its runner was recorded before the crash: it started, and comes back by itself
                    if (saved.queue() != null) members.put(saved.id(), saved.queue());
                    continue;
                }
                table.reserve(saved.id());
                WaitingJob w = new WaitingJob(saved.id(), saved.order(), saved.queue(), saved.after(), saved.startAt());
                w.cancelled = saved.cancelled();
                w.cancelledAt = saved.cancelledAt();
                if (w.cancelled != null) w.outcome.complete(null);
                waiting.put(w.id, w);
                table.nameWaiting(w.id, w.order.name());
            }
            s.members().forEach(members::putIfAbsent);
            if (!waiting.isEmpty()) log.info("recalled waiting jobs {}", waiting.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** A job that waits from now on, with the id it will keep; the decision thread looks at it at once. */
    WaitingJob submit(RunOrder order, String queue, List<Integer> after, Instant startAt) {
        WaitingJob w;
        lock.lock();
        try {
            w = new WaitingJob(table.nextId(), order, queue, after, startAt);
            waiting.put(w.id, w);
            table.nameWaiting(w.id, order.name());
            if (queue != null) queues.putIfAbsent(queue, Schedule.QueueSetting.DEFAULT);
            save();
        } finally {
            lock.unlock();
        }
        log.info("job {} waits: {}", w.id, order);
        PhaseChanges.signal();
        return w;
    }

    /** The waiting (or cancelled) job of that id; none once it started: then the table has it. */
    Optional<WaitingJob> get(int id) {
        lock.lock();
        try {
            return table.get(id).isPresent() ? Optional.empty() : Optional.ofNullable(waiting.get(id));
        } finally {
            lock.unlock();
        }
    }

    /** The waiting job a word names ({@code 3}, {@code %3} or a name), if it is one. */
    Optional<WaitingJob> select(String word) {
        String rest = word.startsWith("%") ? word.substring(1) : word;
        if (!rest.isEmpty() && rest.length() < 10 && rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return get(Integer.parseInt(rest));
        }
        lock.lock();
        try {
            return waiting.values().stream().filter(w -> word.equals(w.order.name()) && table.get(w.id).isEmpty())
                    .findFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Every waiting or cancelled job that is not in the table, as {@code jobs list} shows them. */
    List<JobInfo> infos() {
        Instant now = Instant.now();
        lock.lock();
        try {
            return waiting.values().stream().filter(w -> table.get(w.id).isEmpty()).map(w -> w.info(now)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Waiting jobs not yet cancelled: what {@code wait} with no ids and {@code kill --all} include. */
    List<WaitingJob> live() {
        lock.lock();
        try {
            return waiting.values().stream().filter(WaitingJob::waits).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs that will never start, still listed (as Cancelled). */
    List<WaitingJob> cancelled() {
        lock.lock();
        try {
            return waiting.values().stream().filter(w -> w.cancelled != null).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code kill} or {@code clean} of a job that has not started: it leaves the list and never
     * starts; jobs that wait for it are cancelled. False if it is starting (kill it then).
     */
    boolean remove(WaitingJob w, String why) {
        lock.lock();
        try {
            if (w.starting || waiting.get(w.id) != w) return false;
            waiting.remove(w.id);
            table.unnameWaiting(w.id);
            table.ended(w.id, "job " + w.id + " was " + (w.cancelled != null ? "cancelled" : why));
            if (w.cancelled == null) w.cancelled = why;
            save();
        } finally {
            lock.unlock();
        }
        w.outcome.complete(null);
        PhaseChanges.signal();
        return true;
    }

    /** {@code jobs queue NAME ...}: null parallel keeps the limit; a queue named here exists from now on. */
    void configure(String name, Integer parallel, boolean pause, boolean resume) {
        lock.lock();
        try {
            Schedule.QueueSetting q = queues.getOrDefault(name, Schedule.QueueSetting.DEFAULT);
            queues.put(name, new Schedule.QueueSetting(parallel == null ? q.parallel() : parallel,
                    pause || (q.paused() && !resume)));
            save();
        } finally {
            lock.unlock();
        }
        PhaseChanges.signal();
    }

    boolean knows(String queue) {
        lock.lock();
        try {
            return queues.containsKey(queue);
        } finally {
            lock.unlock();
        }
    }

    /** Every queue: its limit, its running and waiting jobs, whether it is paused. */
    List<QueueInfo> queueInfos() {
        lock.lock();
        try {
            members.entrySet().removeIf(e -> !holdsSlot(e.getKey()));
            List<QueueInfo> list = new ArrayList<>();
            queues.forEach((name, q) -> list.add(new QueueInfo(name, q.parallel(),
                    (int) members.values().stream().filter(name::equals).count(),
                    (int) waiting.values().stream().filter(w -> w.waits() && name.equals(w.queue)).count(), q.paused())));
            return list;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: whether a queue's job still holds its slot (alive, starting or not back yet). */
    boolean holdsSlot(int id) {
        Optional<Job> job = table.get(id);
        if (job.isPresent()) return !job.get().hasEnded();
        WaitingJob w = waiting.get(id);
        if (w != null) return w.starting;
        return adoptions.expects(id);
    }

    /** With the lock held: how the job a waiting one depends on stands. */
    Schedule.Dependency dependency(int id) {
        Optional<Job> job = table.get(id);
        if (job.isPresent()) {
            if (!job.get().hasEnded()) return Schedule.Dependency.PENDING;
            String failure = JobTable.failure(job.get());
            return failure == null ? Schedule.Dependency.SUCCEEDED : Schedule.Dependency.failed(failure);
        }
        WaitingJob w = waiting.get(id);
        if (w != null) {
            return w.cancelled == null ? Schedule.Dependency.PENDING
                    : Schedule.Dependency.failed("job " + id + " was cancelled");
        }
        if (adoptions.expects(id)) return Schedule.Dependency.PENDING;
        return table.pastEnd(id).orElse(Schedule.Dependency.failed("job " + id + " is gone"));
    }

    /** With the lock held. */
    void save() {
        List<SchedulerStore.Saved> saved = waiting.values().stream().map(w -> new SchedulerStore.Saved(w.id, w.order,
                w.queue, List.copyOf(w.after), w.startAt, w.cancelled, w.cancelledAt)).toList();
        store.write(new SchedulerStore.State(new LinkedHashMap<>(queues), saved, new HashMap<>(members)));
    }
}
