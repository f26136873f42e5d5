package jobs.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Which waiting jobs start now, which are cancelled, and when to look again: a pure function of
 * the waiting jobs, the queues and how their dependencies stand, so that every rule is testable
 * without a process. Jobs are looked at in id order, which is the order they were submitted in.
 *
 * @param start  the ids to start now, in order
 * @param cancel the ids that can never start, with why (a dependency that did not end with 0)
 * @param after  for each job still waiting for others, the ids it still waits for
 * @param wake   the earliest time a delayed job may start, or null if none is delayed
 */
record Schedule(List<Integer> start, Map<Integer, String> cancel, Map<Integer, List<Integer>> after, Instant wake) {

    /** A job that has not started: its queue (null: none), the ids it waits for, its earliest start (null: now). */
    record Pending(int id, String queue, List<Integer> after, Instant startAt) {}

    /** A queue's settings; a queue first named gets {@link #DEFAULT}. */
    record QueueSetting(int parallel, boolean paused) {
        static final QueueSetting DEFAULT = new QueueSetting(1, false);
    }

    /** How a dependency stands: not ended yet, ended with status 0, or anything else (with why). */
    record Dependency(Kind kind, String why) {
        enum Kind { PENDING, SUCCEEDED, FAILED }

        static final Dependency PENDING = new Dependency(Kind.PENDING, null);
        static final Dependency SUCCEEDED = new Dependency(Kind.SUCCEEDED, null);

        static Dependency failed(String why) {
            return new Dependency(Kind.FAILED, why);
        }
    }

    /**
     * @param running how many jobs of each queue run now (stopped ones included: they hold their slot)
     * @param deps    how the job of an id stands
     */
    static Schedule decide(List<Pending> waiting, Map<String, QueueSetting> queues, Map<String, Integer> running,
                           IntFunction<Dependency> deps, Instant now) {
        List<Integer> start = new ArrayList<>();
        Map<Integer, String> cancel = new LinkedHashMap<>();
        Map<Integer, List<Integer>> after = new HashMap<>();
        Map<String, Integer> busy = new HashMap<>(running);
        Instant wake = null;
        for (Pending p : waiting.stream().sorted(java.util.Comparator.comparingInt(Pending::id)).toList()) {
            List<Integer> left = new ArrayList<>();
            String failed = null;
            for (int dep : p.after()) {
                Dependency d = deps.apply(dep);
                if (d.kind() == Dependency.Kind.FAILED && failed == null) failed = d.why();
                if (d.kind() == Dependency.Kind.PENDING) left.add(dep);
            }
            if (failed != null) {
                cancel.put(p.id(), failed);
                continue;
            }
            if (!left.isEmpty()) after.put(p.id(), left);
            if (p.startAt() != null && p.startAt().isAfter(now)) {
                wake = wake == null || p.startAt().isBefore(wake) ? p.startAt() : wake;
                continue;
            }
            if (!left.isEmpty()) continue;
            if (p.queue() != null) {
                QueueSetting q = queues.getOrDefault(p.queue(), QueueSetting.DEFAULT);
                int taken = busy.getOrDefault(p.queue(), 0);
                if (q.paused() || taken >= q.parallel()) continue;
                busy.put(p.queue(), taken + 1);
            }
            start.add(p.id());
        }
        return new Schedule(start, cancel, after, wake);
    }
}
