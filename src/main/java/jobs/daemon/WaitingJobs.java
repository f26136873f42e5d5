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
    private final Standing standing;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, WaitingJob> waiting = new TreeMap<>(); // guarded by lock
    private final Map<String, Schedule.QueueSetting> queues = new LinkedHashMap<>(); // guarded by lock
    /** Jobs started from a queue, by id: each holds a slot of its queue while it lives. */
    private final Map<Integer, String> members = new HashMap<>(); // guarded by lock
    /** The queue of every job started from one, for list and rerun; not saved (a restart forgets it). */
    private final Map<Integer, String> startedIn = new HashMap<>(); // guarded by lock
    /** The daemon is going: nothing is chosen to start any more. */
    private boolean closed; // guarded by lock

    WaitingJobs(JobTable table, Adoptions adoptions, SchedulerStore store) {
        this.table = table;
        this.adoptions = adoptions;
        this.store = store;
        this.standing = new Standing(table, adoptions);
    }

    /** What to do now: the jobs to start (each marked starting), those cancelled, when to look again. */
    record Plan(List<WaitingJob> start, List<WaitingJob> cancelled, Instant wake) {
        static final Plan NONE = new Plan(List.of(), List.of(), null);
    }

    /** Applies the rules ({@link Schedule}) to the jobs as they stand, and saves what changed. */
    Plan plan(Instant now) {
        lock.lock();
        try {
            if (closed) return Plan.NONE;
            boolean changed = members.entrySet().removeIf(e -> !standing.holdsSlot(e.getKey(), waiting.get(e.getKey())));
            Map<String, Integer> running = new HashMap<>();
            members.values().forEach(q -> running.merge(q, 1, Integer::sum));
            List<Schedule.Pending> pending = waiting.values().stream().filter(WaitingJob::waits)
                    .map(WaitingJob::pending).toList();
            Schedule s = Schedule.decide(pending, queues, running, id -> standing.dependency(id, waiting.get(id)), now);
            for (Schedule.Pending p : pending) {
                WaitingJob w = waiting.get(p.id());
                List<Integer> left = s.after().getOrDefault(p.id(), List.of());
                if (!left.equals(w.after)) {
                    w.after = new ArrayList<>(left);
                    changed = true;
                }
            }
            List<WaitingJob> cancelled = new ArrayList<>();
            for (Map.Entry<Integer, String> c : s.cancel().entrySet()) {
                WaitingJob w = waiting.get(c.getKey());
                w.cancelled = c.getValue();
                w.cancelledAt = now;
                w.outcome.complete(null);
                log.info("job {} cancelled: {}", w.id, w.cancelled);
                cancelled.add(w);
                changed = true;
            }
            List<WaitingJob> start = new ArrayList<>();
            for (int id : s.start()) {
                WaitingJob w = waiting.get(id);
                markStarting(w);
                start.add(w);
            }
            if (changed) save();
            return new Plan(start, cancelled, s.wake());
        } finally {
            lock.unlock();
        }
    }

    /** {@code jobs start}: takes the job to start it now; why not, or null when it is taken. */
    String claim(WaitingJob w) {
        lock.lock();
        try {
            if (closed) return "the daemon is shutting down";
            if (!w.waits() || waiting.get(w.id) != w) {
                return "job " + w.id + " is not waiting" + (w.cancelled == null ? "" : " (cancelled: " + w.cancelled + ")");
            }
            markStarting(w);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: a runner is on its way; from now on the job holds a slot of its queue. */
    private void markStarting(WaitingJob w) {
        w.starting = true;
        if (w.queue != null) members.put(w.id, w.queue);
    }

    /**
     * How a start went: a job that started leaves this list for the table; one that could not
     * start is cancelled with why; false if the daemon is going (it stays saved for the next).
     */
    boolean launched(WaitingJob w, Job job, String failure, boolean shuttingDown) {
        lock.lock();
        try {
            w.starting = false;
            if (job != null) {
                if (w.queue != null) startedIn.put(w.id, w.queue);
                waiting.remove(w.id);
                table.unnameWaiting(w.id);
                log.info("job {} waited and started", w.id);
            } else if (shuttingDown) {
                return false;
            } else {
                members.remove(w.id);
                w.cancelled = failure;
                w.cancelledAt = Instant.now();
                w.outcome.complete(null);
            }
            save();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The daemon is going: nothing more starts; what waits stays saved for the next daemon. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
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
            closed = true;
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
                WaitingJob w = WaitingJob.restored(saved);
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
        return matching(WaitingJob::waits);
    }

    /** Jobs that will never start, still listed (as Cancelled). */
    List<WaitingJob> cancelled() {
        return matching(w -> w.cancelled != null);
    }

    private List<WaitingJob> matching(java.util.function.Predicate<WaitingJob> p) {
        lock.lock();
        try {
            return waiting.values().stream().filter(p).toList();
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

    /** Every queue: its limit, its running and waiting jobs, whether it is paused. */
    List<QueueInfo> queueInfos() {
        lock.lock();
        try {
            members.entrySet().removeIf(e -> !standing.holdsSlot(e.getKey(), waiting.get(e.getKey())));
            List<QueueInfo> list = new ArrayList<>();
            queues.forEach((name, q) -> list.add(new QueueInfo(name, q.parallel(),
                    (int) members.values().stream().filter(name::equals).count(),
                    (int) waiting.values().stream().filter(w -> w.waits() && name.equals(w.queue)).count(), q.paused())));
            return list;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held. */
    private void save() {
        store.write(new SchedulerStore.State(new LinkedHashMap<>(queues),
                waiting.values().stream().map(WaitingJob::saved).toList(), new HashMap<>(members)));
    }
}
