package jobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jobs.posix.Fd;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo.JobStateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Every transition of a job's shared state, with no runner, pty or daemon: an attached client
 * is a real control connection and a real data socket, whose far ends stand for the client.
 */
class JobStateTest {
    private static final List<String> COMMAND = List.of("cat");
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final JobState state = new JobState(7, COMMAND, 1024);

    /** The daemon's Attachment and the client's ends of its two sockets. */
    private record Client(Attachment attachment, Connection control, InputStream events, Fd data) {
        Event nextEvent() throws IOException {
            return (Event) Frames.read(events);
        }

        /** What the client's data socket got before its end-of-file. */
        String dataUntilEof() throws IOException {
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[256];
            for (int n = data.read(buf, 0, buf.length, 5000); n != Fd.EOF; n = data.read(buf, 0, buf.length, 5000)) {
                if (n == Fd.IDLE) throw new IOException("no end-of-file on the data socket");
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return got.toString();
        }
    }

    private Client client() throws IOException {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        open.add(pair.getSocket1());
        open.add(pair.getSocket2());
        AFUNIXSocket peer = (AFUNIXSocket) pair.getSocket2().socket();
        peer.setSoTimeout(5000);
        Connection control = new Connection((AFUNIXSocket) pair.getSocket1().socket());
        int[] data = Fd.socketPair();
        Fd daemonEnd = Fd.adopt(data[0]);
        Fd clientEnd = Fd.adopt(data[1]);
        open.add(daemonEnd);
        open.add(clientEnd);
        return new Client(new Attachment(control, daemonEnd), control, peer.getInputStream(), clientEnd);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Attachment output(String s) {
        byte[] b = bytes(s);
        return state.output(b, 0, b.length);
    }

    /** Attaches c as a plain {@code continue} does, and completes the attach as Job does. */
    private Admission attach(Client c, boolean fetchOutput) {
        Admission a = state.attach(c.attachment(), fetchOutput, false, false);
        if (a.result() == Job.AttachResult.ATTACHED) state.attached(c.attachment()).apply();
        return a;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- attach and detach ----

    @Test
    void outputWhileDetachedIsKeptAndReplayedOnAttach() throws IOException {
        assertNull(output("hello "));
        assertNull(output("world"));
        Client c = client();
        Admission a = attach(c, true);
        assertEquals(Job.AttachResult.ATTACHED, a.result());
        assertEquals("hello world", text(a.replay()));
        assertEquals(0, a.dropped());
        assertFalse(a.wasStopped());
        assertNull(a.stolen());
        assertTrue(state.clientAttached());
        assertTrue(state.view().attached());
        assertSame(c.attachment(), output("more"), "output now goes to the client");
        assertEquals(0, state.takeUnseen().length);
    }

    @Test
    void aFullBacklogKeepsTheNewestBytesAndCountsTheDropped() throws IOException {
        JobState small = new JobState(7, COMMAND, 4);
        small.output(bytes("abcdefgh"), 0, 8);
        Client c = client();
        Admission a = small.attach(c.attachment(), true, false, false);
        small.attached(c.attachment());
        assertEquals("efgh", text(a.replay()));
        assertEquals(4, a.dropped());
    }

    @Test
    void anAttachThatDoesNotFetchOutputDropsTheBacklog() throws IOException {
        output("old");
        Client first = client();
        Admission a = attach(first, false);
        assertEquals(0, a.replay().length);
        assertEquals(0, a.dropped());
        state.detach(first.attachment());
        Admission again = attach(client(), true);
        assertEquals(0, again.replay().length, "what the first client chose not to see is gone");
    }

    @Test
    void aSecondClientIsBusyAndTheFirstStays() throws IOException {
        Client first = client();
        attach(first, true);
        Client second = client();
        Admission a = state.attach(second.attachment(), true, false, false);
        assertSame(Admission.BUSY, a);
        assertSame(first.attachment(), output("x"));
        assertFalse(first.attachment().isClosed());
    }

    @Test
    void stealTakesTheJobAndHandsBackTheClientItLetGo() throws IOException {
        Client first = client();
        attach(first, true);
        long before = state.view().recency();
        Client second = client();
        Admission a = state.attach(second.attachment(), true, true, false);
        assertEquals(Job.AttachResult.ATTACHED, a.result());
        assertSame(first.attachment(), a.stolen(), "the caller tells it TakenOver, after the lock");
        state.attached(second.attachment());
        assertSame(second.attachment(), output("x"));
        assertTrue(state.view().recency() > before);
    }

    @Test
    void detachLetsTheClientGoAndOutputGoesToTheBacklog() throws IOException {
        Client c = client();
        attach(c, true);
        state.detach(c.attachment());
        assertTrue(c.attachment().isClosed());
        assertFalse(state.clientAttached());
        assertNull(output("while away"));
        assertEquals("while away", text(attach(client(), true).replay()));
    }

    @Test
    void aStaleDetachLeavesTheNewClientAttached() throws IOException {
        Client first = client();
        attach(first, true);
        Client second = client();
        state.attach(second.attachment(), true, true, false);
        state.attached(second.attachment());
        state.detach(first.attachment());
        assertSame(second.attachment(), output("x"));
    }

    @Test
    void onlyTheAttachedClientsControlConnectionDetachesIt() throws IOException {
        Client c = client();
        attach(c, true);
        Client other = client();
        state.detachIfControl(other.control());
        assertTrue(state.clientAttached());
        state.detachIfControl(c.control());
        assertFalse(state.clientAttached());
        assertTrue(c.attachment().isClosed());
    }

    @Test
    void aFailedWriteDetachesAndKeepsTheBytesForTheNextClient() throws IOException {
        Client c = client();
        attach(c, true);
        byte[] b = bytes("lost?");
        assertSame(c.attachment(), state.output(b, 0, b.length));
        state.outputFailed(c.attachment(), b, 0, b.length);
        assertTrue(c.attachment().isClosed());
        assertFalse(state.clientAttached());
        assertEquals("lost?", text(attach(client(), true).replay()));
    }

    /**
     * The race a failed replay has: the pty reader got the attachment and is parked on its write
     * lock while the attacher writes the replay. The replay goes back first, then the reader's
     * newer bytes, and the next client gets both in order with the dropped count.
     */
    @Test
    void aFailedReplayGoesBackAheadOfNewerOutput() throws Exception {
        JobState small = new JobState(7, COMMAND, 8);
        small.output(bytes("0123456789"), 0, 10);
        Client c = client();
        Admission a = small.attach(c.attachment(), true, false, false);
        assertEquals("23456789", text(a.replay()));
        assertEquals(2, a.dropped());
        byte[] newer = bytes("AB");
        Attachment target = small.output(newer, 0, newer.length);
        assertSame(c.attachment(), target);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                target.writeOutput(newer, 0, newer.length);
            } catch (IOException e) {
                small.outputFailed(target, newer, 0, newer.length);
            }
        }, r -> Thread.ofVirtual().start(r));
        small.replayFailed(c.attachment(), a.replay(), a.dropped());
        reader.get(5, TimeUnit.SECONDS);
        assertTrue(c.attachment().isClosed());
        assertFalse(small.clientAttached());
        Admission next = small.attach(client().attachment(), true, false, false);
        assertEquals("456789AB", text(next.replay()), "the limit still holds, the oldest going first");
        assertEquals(4, next.dropped());
    }

    // ---- stop and continue ----

    @Test
    void aStopWhileAttachedHandsTheClientBackOnceThePtyIsDrained() throws IOException {
        Client c = client();
        attach(c, true);
        assertTrue(state.stopped(), "the pty reader must be woken");
        assertEquals(JobStateName.STOPPED, state.view().phase());
        assertEquals(30, state.quietMillis());
        assertSame(c.attachment(), output("last words"), "output before the drain still reaches the client");
        assertSame(Admission.BUSY, state.attach(client().attachment(), true, false, false),
                "until it is handed back, nobody else takes the job");
        Outcome o = state.drained(false);
        assertSame(c.attachment(), o.finish());
        assertEquals(new Event.Stopped(7, COMMAND), o.event());
        assertFalse(o.ended());
        assertFalse(o.delivered());
        assertFalse(state.clientAttached());
        assertEquals(-1, state.quietMillis());
        o.apply();
        assertEquals("", c.dataUntilEof());
        assertEquals(new Event.Stopped(7, COMMAND), c.nextEvent());
    }

    @Test
    void aStopWithNoClientOnlyChangesThePhase() {
        long before = state.view().recency();
        assertTrue(state.stopped());
        assertEquals(-1, state.quietMillis(), "nobody to hand back");
        assertEquals(Outcome.NOTHING, state.drained(false));
        assertTrue(state.view().recency() > before, "the most recently stopped job is continue's default");
    }

    @Test
    void aContinueBeforeTheDrainKeepsTheClient() throws IOException {
        Client c = client();
        attach(c, true);
        state.stopped();
        state.continued();
        assertEquals(JobStateName.RUNNING, state.view().phase());
        assertEquals(-1, state.quietMillis());
        assertEquals(Outcome.NOTHING, state.drained(false));
        assertTrue(state.clientAttached());
    }

    /** Job resumes the job after an attach only for a stop from before it (ClientToPty.attach). */
    @Test
    void anAttachSaysWhetherTheJobWasStoppedBeforeIt() throws IOException {
        state.stopped();
        Client c = client();
        assertTrue(attach(c, true).wasStopped());
        assertEquals(-1, state.quietMillis(), "a stop from before the attach hands nothing back");
        state.continued();
        state.detach(c.attachment());
        assertFalse(attach(client(), true).wasStopped());
    }

    @Test
    void phaseChangesWakeTheirWaiters() {
        long seen = PhaseChanges.generation();
        state.stopped();
        assertTrue(PhaseChanges.generation() > seen);
        seen = PhaseChanges.generation();
        state.continued();
        assertTrue(PhaseChanges.generation() > seen);
        seen = PhaseChanges.generation();
        state.ended(0, null, null);
        assertTrue(PhaseChanges.generation() > seen);
    }

    // ---- finish ----

    @Test
    void anEndWaitsForThePtyToDrainThenReachesTheClient() throws IOException {
        Client c = client();
        attach(c, true);
        assertEquals(Outcome.NOTHING, state.ended(3, null, null), "the pty may still hold output");
        assertEquals(JobStateName.FINISHED, state.view().phase());
        assertEquals(150, state.quietMillis());
        assertSame(c.attachment(), output("tail"));
        assertFalse(state.view().delivered());
        Outcome o = state.drained(false);
        assertTrue(o.ended());
        assertTrue(o.delivered(), "the final status reached a client: the job may leave the table");
        assertSame(c.attachment(), o.finish());
        o.apply();
        assertEquals("", c.dataUntilEof());
        assertEquals(new Event.Finished(7, COMMAND, 3, null, null), c.nextEvent());
        assertTrue(state.view().delivered());
        assertSame(Admission.GONE, state.attach(client().attachment(), true, true, false));
    }

    @Test
    void anEndAfterThePtyClosedFinishesAtOnce() throws IOException {
        Client c = client();
        attach(c, true);
        assertEquals(Outcome.NOTHING, state.drained(true), "the runner's report will finish the job");
        Outcome o = state.ended(null, Signals.SIGTERM, null);
        assertTrue(o.ended());
        assertTrue(o.delivered());
        assertEquals(new Event.Finished(7, COMMAND, null, Signals.SIGTERM, null), o.event());
    }

    /** The job leaves the table only when it has exited, its pty is drained and a client saw the end. */
    @Test
    void anEndNobodySawWaitsForTheNextClient() throws IOException {
        state.ended(0, null, null);
        output("goodbye");
        Outcome drained = state.drained(true);
        assertTrue(drained.ended());
        assertFalse(drained.delivered(), "no client saw it: the job stays listed");
        assertNull(drained.finish());
        assertEquals(-1, state.quietMillis());
        Client c = client();
        Admission a = state.attach(c.attachment(), true, false, false);
        assertEquals("goodbye", text(a.replay()));
        Outcome o = state.attached(c.attachment());
        assertTrue(o.delivered());
        assertSame(c.attachment(), o.finish());
        assertTrue(state.view().delivered());
    }

    @Test
    void onlyTheFirstEndCounts() {
        state.ended(1, null, null);
        long order = state.view().endOrder();
        assertTrue(order > 0);
        assertEquals(Outcome.NOTHING, state.ended(2, null, null));
        assertEquals(new Event.Finished(7, COMMAND, 1, null, null), state.finished());
        assertEquals(order, state.view().endOrder());
        assertFalse(state.stopped(), "a finished job does not stop");
        state.continued();
        assertEquals(JobStateName.FINISHED, state.view().phase());
    }

    @Test
    void aLaterEndHasALargerEndOrder() {
        JobState other = new JobState(8, COMMAND, 1024);
        assertEquals(0, state.view().endOrder(), "0 while the job lives");
        state.ended(0, null, null);
        other.ended(0, null, null);
        assertTrue(other.view().endOrder() > state.view().endOrder());
        assertTrue(state.view().endedAt() != null);
    }

    @Test
    void aLostRunnerEndsTheJobAndSaysWhy() throws IOException {
        Client c = client();
        attach(c, true);
        state.drained(true);
        Outcome o = state.ended(null, Signals.SIGKILL, "its runner died");
        assertTrue(o.delivered());
        o.apply();
        assertEquals(new Event.Finished(7, COMMAND, null, Signals.SIGKILL, "its runner died"), c.nextEvent());
        JobState.View v = state.view();
        assertEquals("its runner died", v.lost());
        assertEquals(Signals.SIGKILL, v.signal());
        assertNull(v.exitCode());
    }

    // ---- continue -d and clean ----

    @Test
    void backgroundResumesAStoppedJobAndLeavesARunningOne() throws IOException {
        assertEquals(JobState.BackgroundResult.ALREADY_RUNNING, state.background());
        state.stopped();
        assertEquals(JobState.BackgroundResult.RESUME, state.background());
        state.continued();
        attach(client(), true);
        assertEquals(JobState.BackgroundResult.BUSY, state.background());
    }

    @Test
    void backgroundOfAFinishedJobDeliversIt() {
        state.ended(0, null, null);
        state.drained(true);
        assertEquals(JobState.BackgroundResult.FINISHED, state.background());
        assertTrue(state.view().delivered());
    }

    @Test
    void cleanTakesOnlyAFinishedUnattachedJob() throws IOException {
        assertFalse(state.collect(), "a live job");
        Client c = client();
        attach(c, true);
        state.ended(0, null, null);
        assertFalse(state.collect(), "an attached job");
        state.detach(c.attachment());
        assertTrue(state.collect());
        assertTrue(state.view().delivered());
        assertSame(Admission.GONE, state.attach(client().attachment(), true, false, false));
    }

    // ---- adoption: a job held for its returning client ----

    @Test
    void aHeldJobWaitsForItsReturningClient() throws IOException {
        state.holdForReturningClient(HOUR_NANOS);
        assertTrue(state.view().attached(), "listed as attached, so that nobody else takes it");
        assertFalse(state.clientAttached(), "but the runner is not told of a client");
        assertSame(Admission.BUSY, state.attach(client().attachment(), true, false, false));
        assertEquals(JobState.BackgroundResult.BUSY, state.background());
        Client back = client();
        Admission a = state.attach(back.attachment(), true, false, true);
        assertEquals(Job.AttachResult.ATTACHED, a.result());
        state.attached(back.attachment());
        state.detach(back.attachment());
        assertFalse(state.view().attached(), "the hold ended with the client's return");
        assertEquals(Job.AttachResult.ATTACHED, attach(client(), true).result());
    }

    @Test
    void aStealTakesAHeldJob() throws IOException {
        state.holdForReturningClient(HOUR_NANOS);
        Admission a = state.attach(client().attachment(), true, true, false);
        assertEquals(Job.AttachResult.ATTACHED, a.result());
        assertNull(a.stolen(), "no client was attached, only held for");
    }

    @Test
    void anExpiredHoldLetsAnyoneAttach() throws IOException {
        state.holdForReturningClient(0);
        assertFalse(state.view().attached());
        assertEquals(Job.AttachResult.ATTACHED, attach(client(), true).result());
    }

    @Test
    void aHeldJobThatEndedIsNotCleanedBeforeItsClientSawIt() throws IOException {
        state.holdForReturningClient(HOUR_NANOS);
        state.ended(0, null, null);
        state.drained(true);
        assertFalse(state.collect());
        Client back = client();
        state.attach(back.attachment(), true, false, true);
        Outcome o = state.attached(back.attachment());
        assertTrue(o.delivered());
        o.apply();
        assertInstanceOf(Event.Finished.class, back.nextEvent());
    }

    // ---- restart-server and recency ----

    @Test
    void theUnseenOutputIsTakenOnceForTheNextDaemon() {
        output("unseen");
        assertEquals("unseen", text(state.takeUnseen()));
        assertEquals(0, state.takeUnseen().length);
    }

    @Test
    void touchMakesTheJobTheMostRecent() {
        JobState other = new JobState(8, COMMAND, 1024);
        other.touch();
        state.touch();
        assertTrue(state.view().recency() > other.view().recency());
    }
}
