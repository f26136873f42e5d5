package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The terminal around a job, through the real {@code ./jobs} in real ptys: window sizes from the
 * first moment of a session to the last, SIGWINCH for a job continued at another size, the
 * repaint of a full-screen job on reattach, and the detach key.
 */
@Tag("e2e")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TerminalTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final int CTRL_Z = 0x1a;
    private static final int CTRL_BACKSLASH = 0x1c;
    /**
     * A job that says "W ROWS COLS" at each SIGWINCH, after "ready ROWS COLS". It waits for its
     * sleeps in the background: dash vforks a foreground command, and a ^Z that stops the child
     * between vfork and exec leaves sh in the kernel's vfork wait (state D) for good, where its
     * own SIGTSTP never acts, so the job never reports Stopped (about one ^Z in ten on a loaded
     * machine, with any job-control shell). A background child is forked, and sh stops in wait.
     */
    private static final String WINCH_REPORTER =
            "trap 'echo W $(stty size)' WINCH; echo ready $(stty size); while :; do sleep 0.05 & wait $!; done";
    private static final Pattern STOPPED = Pattern.compile("\\[(\\d+)] Stopped");
    private static final Pattern DETACHED = Pattern.compile("\\[(\\d+)] Detached  ");

    @RegisterExtension
    final TestUser user = new TestUser();

    /*
     * Timeline, each round: run the reporter at one size → as soon as "ready" shows (the moment
     * the client's attach was racing with) the window changes size → the job must say so with
     * its own SIGWINCH. Rounds alternate sizes so that each one is a real change.
     */
    @Test
    void aResizeRightAfterTheStartReachesTheJob() throws Exception {
        for (int round = 0; round < 6; round++) {
            int rows = 20 + round;
            int cols = 70 + round;
            PtySession run = jobs(24, 80, "run", "sh", "-c", WINCH_REPORTER);
            await().atMost(PtySession.WAIT).pollInterval(Duration.ofMillis(2)).until(() -> run.text().contains("ready"));
            run.resize(cols, rows);
            run.awaitText("W " + rows + " " + cols);
            run.awaitRawMode();
            run.write(CTRL_Z);
            assertEquals(0, run.awaitExit(), run.text());
        }
    }

    /** A resize before the client even started: the job starts at the new size. */
    @Test
    void aResizeBeforeTheAttachGivesTheJobTheNewSize() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", WINCH_REPORTER);
        run.resize(90, 30);
        await().atMost(PtySession.WAIT).until(() -> run.text().contains("ready 30 90") || run.text().contains("W 30 90"));
        run.awaitRawMode();
        run.write(CTRL_Z);
        assertEquals(0, run.awaitExit(), run.text());
    }

    /*
     * Timeline, each round: the reporter stopped with ^Z → continue from a terminal of another
     * size (the pty is resized while the job is stopped and its runner holds the foreground) →
     * the job, running again, gets SIGWINCH and reads the new size.
     */
    @Test
    void aJobContinuedAtAnotherSizeGetsSigwinch() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", WINCH_REPORTER);
        run.awaitText("ready 24 80");
        String id = stop(run);
        for (int round = 0; round < 4; round++) {
            int rows = 25 + round;
            int cols = 81 + round;
            PtySession resumed = jobs(rows, cols, "continue", id);
            resumed.awaitText("W " + rows + " " + cols);
            stop(resumed);
        }
    }

    /** A full-screen job continued at the same size is asked to redraw; the size ends where it was. */
    @Test
    void aFullScreenJobRepaintsOnReattachAtTheSameSize() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", "printf '\\033[?1049h'; " + WINCH_REPORTER);
        run.awaitText("ready 24 80");
        String id = stop(run);
        PtySession resumed = jobs(24, 80, "continue", id);
        resumed.awaitText("W 24 80");
        stop(resumed);
    }

    /** A full-screen job left running with the detach key repaints for the next client, not for the first. */
    @Test
    void aDetachedFullScreenJobRepaintsOnReattach() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", "printf '\\033[?1049h'; " + WINCH_REPORTER);
        run.awaitText("ready 24 80");
        run.awaitRawMode();
        run.write(CTRL_BACKSLASH);
        assertEquals(0, run.awaitExit(), run.text());
        String id = detachedId(run);
        assertFalse(run.text().contains("W 2"), run.text());
        PtySession again = jobs(24, 80, "continue", id);
        again.awaitText("W 24 80");
        stop(again);
    }

    /*
     * Timeline: a job that is not full-screen (it left the alternate screen again) → stopped →
     * continued at the same size → a line typed reaches it and comes back → no SIGWINCH came
     * before that line, nor after it until the job stopped again.
     */
    @Test
    void aLineJobGetsNoRepaintSignal() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c",
                "printf '\\033[?1049h\\033[?1049l'; trap 'echo W$((1+1))' WINCH; echo ready; while read x; do echo got $x; done");
        run.awaitText("ready");
        String id = stop(run);
        PtySession resumed = jobs(24, 80, "continue", id);
        resumed.awaitRawMode();
        resumed.write('m', '\r');
        resumed.awaitText("got m");
        stop(resumed);
        // "W2": the trap's output, which the command line (in the Stopped line) does not contain
        assertFalse(resumed.text().contains("W2"), resumed.text());
    }

    /*
     * Timeline: a job that ignores SIGTSTP (^Z cannot stop it) → ^\ once → "[ID] Detached", exit 0,
     * the job runs on → continue attaches again, its output flows → ^\ once more detaches again.
     */
    @Test
    void theDetachKeyLeavesAJobThatIgnoresCtrlZ() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c",
                "trap '' TSTP; echo ready; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done");
        run.awaitText("ready");
        run.awaitRawMode();
        run.write(CTRL_Z);
        run.awaitText("tick 3");
        run.write(CTRL_BACKSLASH);
        assertEquals(0, run.awaitExit(), run.text());
        String id = detachedId(run);

        PtySession list = jobs(24, 80, "list");
        assertEquals(0, list.awaitExit(), list.text());
        assertTrue(list.text().lines().anyMatch(l -> l.contains("Running") && l.contains("Background")), list.text());

        PtySession again = jobs(24, 80, "continue", id);
        again.awaitRawMode();
        int before = again.count("tick");
        await().atMost(PtySession.WAIT).until(() -> again.count("tick") > before + 1);
        again.write(CTRL_BACKSLASH);
        assertEquals(0, again.awaitExit(), again.text());
        assertEquals(id, detachedId(again));
    }

    /** A raw-mode job gets no signal from ^\ anyway: only the client can leave it. */
    @Test
    void theDetachKeyLeavesARawModeJobAndADoubleTapReachesItOnce() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", "stty raw -echo; echo ready; exec od -An -tx1 -w1 -v");
        run.awaitText("ready");
        run.awaitRawMode();
        run.write(CTRL_BACKSLASH, CTRL_BACKSLASH, 'z');
        // od prints each byte it reads on a line of its own: one 1c, then z (7a)
        run.awaitText("7a");
        assertEquals(1, run.count(" 1c"), run.text());
        run.write(CTRL_BACKSLASH);
        assertEquals(0, run.awaitExit(), run.text());
        detachedId(run);
    }

    /** A shell inside a job keeps ^Z for its own children; the detach key still leaves it. */
    @Test
    void theDetachKeyLeavesAShellRunningInAJob() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-i");
        run.awaitRawMode();
        run.write('e', 'c', 'h', 'o', ' ', 'i', 'n', 's', 'i', 'd', 'e', '\r');
        run.awaitText("inside");
        run.write(CTRL_BACKSLASH);
        assertEquals(0, run.awaitExit(), run.text());
        detachedId(run);
    }

    /** A job that handles SIGQUIT gets exactly one from a double tap, and the session goes on. */
    @Test
    void aDoubleTapSendsOneCtrlBackslash() throws Exception {
        PtySession run = jobs(24, 80, "run", "sh", "-c", "trap 'echo QUIT' QUIT; echo ready; while :; do sleep 0.05; done");
        run.awaitText("ready");
        run.awaitRawMode();
        run.write(CTRL_BACKSLASH);
        run.write(CTRL_BACKSLASH);
        run.awaitText("QUIT");
        run.write(CTRL_BACKSLASH);
        assertEquals(0, run.awaitExit(), run.text());
        detachedId(run);
        // the job's terminal echoes the ^\ it got; QUIT follows on the same line when the signal
        // came between two sleeps, and on the next one (after sh's "Quit") when it killed one
        long quits = run.text().replace("^\\", "\n").lines().filter("QUIT"::equals).count();
        assertEquals(1, quits, run.text());
    }

    /** --detach-key none: ^\ is the job's again (here it quits it); ^] as a key detaches. */
    @Test
    void theDetachKeyCanBeChangedOrTurnedOff() throws Exception {
        PtySession none = jobs(24, 80, "run", "--detach-key", "none", "sh", "-c",
                "trap 'echo QUIT; exit 7' QUIT; echo ready; while :; do sleep 0.05; done");
        none.awaitText("ready");
        none.awaitRawMode();
        none.write(CTRL_BACKSLASH);
        assertEquals(7, none.awaitExit(), none.text());

        PtySession other = jobs(24, 80, "run", "--detach-key", "^]", "sh", "-c", "echo ready; while :; do sleep 0.05; done");
        other.awaitText("ready");
        other.awaitRawMode();
        other.write(0x1d);
        assertEquals(0, other.awaitExit(), other.text());
        detachedId(other);

        PtySession bad = jobs(24, 80, "run", "--detach-key", "x", "true");
        assertEquals(2, bad.awaitExit(), bad.text());
        assertTrue(bad.text().contains("jobs: run: --detach-key: 'x' is not a key"), bad.text());
    }

    private static String detachedId(PtySession s) {
        Matcher m = DETACHED.matcher(s.text());
        assertTrue(m.find(), s.text());
        return m.group(1);
    }

    private static String stop(PtySession s) throws Exception {
        s.awaitRawMode();
        s.write(CTRL_Z);
        assertEquals(0, s.awaitExit(), s.text());
        Matcher m = STOPPED.matcher(s.text());
        assertTrue(m.find(), s.text());
        return m.group(1);
    }

    private PtySession jobs(int rows, int cols, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("jobs").toString());
        command.addAll(List.of(args));
        return user.pty(REPO, user.env(), command, cols, rows);
    }
}
