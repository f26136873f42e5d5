package jobs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jobs.job.Job;
import jobs.job.JobServices;
import jobs.posix.Fd;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.ReportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the table decides by itself: ids, lookups, and which job is bash's current one. The jobs
 * are real, made the way an adopted job is made ({@link Job#takeOver}), with one end of a
 * socket pair for their pty and no runner: no process starts, and none is ever signalled.
 */
class JobTableTest {
    /** Long enough that a hold of a returning client never runs out during a test. */
    private static final long HOLD_MILLIS = 600_000;

    private final JobTable table = new JobTable();
    private final List<Job> made = new ArrayList<>();

    @AfterEach
    void closePtys() {
        made.forEach(Job::abandon); // kill() would signal pid 0, our own group
    }

    private Job job(int id, String name, ReportKind state, boolean clientAway) throws IOException {
        int[] pair = Fd.socketPair();
        Fd.closeRaw(pair[1]);
        Integer code = state == ReportKind.EXITED ? 0 : null;
        var adopt = new RunnerMessage.Adopt(id, "token", List.of("sleep", "100"), name, 0, state, code, null, null,
                clientAway, 0);
        Job j = Job.takeOver(adopt, pair[0], 0, 1024, clientAway ? HOLD_MILLIS : 0, () -> table.remove(id),
                JobServices.NONE, null);
        made.add(j);
        return j;
    }

    private Job running(int id) throws IOException {
        return job(id, null, ReportKind.RUNNING, false);
    }

    private Job stopped(int id) throws IOException {
        return job(id, null, ReportKind.STOPPED, false);
    }

    private Job finished(int id) throws IOException {
        return job(id, null, ReportKind.EXITED, false);
    }

    /** Held for the client that was attached when the previous daemon went: counts as attached. */
    private Job held(int id, ReportKind state) throws IOException {
        return job(id, null, state, true);
    }

    @Test
    void idsStartAtOneAndAreNeverReused() throws IOException {
        assertEquals(1, table.nextId());
        assertEquals(2, table.nextId());
        table.add(running(2));
        table.remove(2);
        assertEquals(3, table.nextId());
    }

    @Test
    void anAdoptedJobsIdPushesNewIdsPastIt() throws IOException {
        table.nextId();
        table.reserve(7);
        table.add(running(7));
        assertEquals(8, table.nextId());
        table.reserve(3); // an older survivor comes back later: no id goes backwards
        table.add(running(3));
        assertEquals(9, table.nextId());
        assertEquals(List.of(3, 7), ids(table.all()));
    }

    @Test
    void lookupByIdUntilRemoved() throws IOException {
        assertTrue(table.isEmpty());
        Job one = running(1);
        table.add(one);
        assertFalse(table.isEmpty());
        assertEquals(Optional.of(one), table.get(1));
        assertEquals(Optional.empty(), table.get(2));
        table.remove(1);
        assertEquals(Optional.empty(), table.get(1));
        assertTrue(table.isEmpty());
        table.remove(1); // a second removal (clean after the job's own end) is harmless
        assertTrue(table.isEmpty());
    }

    @Test
    void allIsInIdOrderAndACopy() throws IOException {
        table.add(running(3));
        table.add(running(1));
        table.add(running(2));
        List<Job> all = table.all();
        assertEquals(List.of(1, 2, 3), ids(all));
        table.remove(2);
        assertEquals(List.of(1, 2, 3), ids(all));
        assertNotSame(all, table.all());
        assertEquals(List.of(1, 3), ids(table.all()));
    }

    @Test
    void lookupByNameFindsOnlyNamedJobsInTheTable() throws IOException {
        table.add(running(1));
        Job web = job(2, "web", ReportKind.RUNNING, false);
        table.add(web);
        assertEquals(Optional.of(web), table.named("web"));
        assertEquals(Optional.empty(), table.named("db"));
        table.remove(2);
        assertEquals(Optional.empty(), table.named("web"));
    }

    @Test
    void noCurrentJobInAnEmptyTable() {
        assertEquals(Optional.empty(), table.mostRecent());
    }

    @Test
    void theCurrentJobIsTheOneStoppedOrBackgroundedLast() throws IOException {
        Job first = stopped(1);
        Job second = stopped(2);
        table.add(second);
        table.add(first);
        assertEquals(Optional.of(second), table.mostRecent());
        first.markBackground();
        assertEquals(Optional.of(first), table.mostRecent());
        Job third = running(3);
        table.add(third);
        assertEquals(Optional.of(first), table.mostRecent());
        third.markBackground();
        assertEquals(Optional.of(third), table.mostRecent());
    }

    @Test
    void aLiveJobComesBeforeOneThatEndedLater() throws IOException {
        Job live = stopped(1);
        Job ended = finished(2);
        table.add(live);
        table.add(ended);
        assertEquals(Optional.of(live), table.mostRecent());
        table.remove(1);
        assertEquals(Optional.of(ended), table.mostRecent());
    }

    @Test
    void anAttachedJobIsNeverCurrent() throws IOException {
        table.add(held(1, ReportKind.STOPPED));
        assertEquals(Optional.empty(), table.mostRecent());
        Job ended = finished(2);
        table.add(ended);
        assertEquals(Optional.of(ended), table.mostRecent());
        Job attachedLater = held(3, ReportKind.STOPPED);
        attachedLater.markBackground();
        table.add(attachedLater);
        assertEquals(Optional.of(ended), table.mostRecent());
        table.add(held(4, ReportKind.EXITED));
        assertEquals(Optional.of(ended), table.mostRecent());
    }

    @Test
    void aJobThatLeavesByItselfLeavesTheTable() throws IOException {
        Job ended = finished(1);
        table.add(ended);
        assertTrue(ended.collect());
        assertEquals(Optional.empty(), table.get(1));
        assertEquals(Optional.empty(), table.mostRecent());
    }

    private static List<Integer> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }
}
