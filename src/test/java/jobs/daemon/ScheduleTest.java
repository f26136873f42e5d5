package jobs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import jobs.daemon.Schedule.Dependency;
import jobs.daemon.Schedule.Pending;
import jobs.daemon.Schedule.QueueSetting;
import org.junit.jupiter.api.Test;

/** The scheduler's rules, with no process: which waiting jobs start, which are cancelled, when to look again. */
class ScheduleTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final IntFunction<Dependency> NONE_ENDED = id -> Dependency.PENDING;

    private static Pending queued(int id, String queue) {
        return new Pending(id, queue, List.of(), null);
    }

    private static Schedule decide(List<Pending> waiting, Map<String, QueueSetting> queues, Map<String, Integer> running,
                                   IntFunction<Dependency> deps) {
        return Schedule.decide(waiting, queues, running, deps, NOW);
    }

    @Test
    void aQueueStartsAsManyAsItHasFreeSlotsInIdOrder() {
        List<Pending> waiting = List.of(queued(5, "q"), queued(3, "q"), queued(4, "q"));
        assertEquals(List.of(3), decide(waiting, Map.of(), Map.of(), NONE_ENDED).start());
        assertEquals(List.of(), decide(waiting, Map.of(), Map.of("q", 1), NONE_ENDED).start());
        assertEquals(List.of(3, 4), decide(waiting, Map.of("q", new QueueSetting(3, false)), Map.of("q", 1), NONE_ENDED).start());
    }

    @Test
    void queuesAreIndependentAndAJobWithoutOneStartsAtOnce() {
        List<Pending> waiting = List.of(queued(1, "a"), queued(2, "b"), queued(3, "a"), queued(4, null));
        assertEquals(List.of(1, 2, 4), decide(waiting, Map.of(), Map.of(), NONE_ENDED).start());
    }

    @Test
    void aPausedQueueStartsNothing() {
        List<Pending> waiting = List.of(queued(1, "a"));
        assertEquals(List.of(), decide(waiting, Map.of("a", new QueueSetting(4, true)), Map.of(), NONE_ENDED).start());
    }

    @Test
    void dependenciesThatSucceededAreDroppedAndAFailureCancels() {
        IntFunction<Dependency> deps = id -> switch (id) {
            case 1 -> Dependency.SUCCEEDED;
            case 2 -> Dependency.failed("job 2 ended with status 1");
            default -> Dependency.PENDING;
        };
        List<Pending> waiting = List.of(new Pending(10, null, List.of(1), null), new Pending(11, null, List.of(1, 3), null),
                new Pending(12, null, List.of(3, 2), null));
        Schedule s = decide(waiting, Map.of(), Map.of(), deps);
        assertEquals(List.of(10), s.start());
        assertEquals(Map.of(11, List.of(3)), s.after());
        assertEquals(Map.of(12, "job 2 ended with status 1"), s.cancel());
    }

    @Test
    void aJobThatWaitsForOthersHoldsNoSlotAndDoesNotBlockItsQueue() {
        List<Pending> waiting = List.of(new Pending(1, "q", List.of(9), null), queued(2, "q"));
        assertEquals(List.of(2), decide(waiting, Map.of(), Map.of(), NONE_ENDED).start());
    }

    @Test
    void aDelayedJobWaitsForItsTimeAndSaysWhenToLookAgain() {
        Instant soon = NOW.plusSeconds(30);
        Instant later = NOW.plusSeconds(90);
        List<Pending> waiting = List.of(new Pending(1, null, List.of(), later), new Pending(2, null, List.of(), soon),
                new Pending(3, null, List.of(), NOW.minusSeconds(1)));
        Schedule s = decide(waiting, Map.of(), Map.of(), NONE_ENDED);
        assertEquals(List.of(3), s.start());
        assertEquals(soon, s.wake());
        assertNull(decide(List.of(queued(1, null)), Map.of(), Map.of(), NONE_ENDED).wake());
    }

    @Test
    void aDelayedJobThenJoinsItsQueue() {
        List<Pending> waiting = List.of(new Pending(1, "q", List.of(), NOW.minusSeconds(1)), queued(2, "q"));
        assertEquals(List.of(1), decide(waiting, Map.of(), Map.of(), NONE_ENDED).start());
    }
}
