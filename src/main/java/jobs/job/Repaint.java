package jobs.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes a full-screen job redraw when a client attaches to it again, even at the same size:
 * whatever the user's terminal shows then is not the job's screen. The only request every such
 * program understands is SIGWINCH, and many (htop) ignore one that does not change the size,
 * so the pty is made one row shorter and, once the job has answered with output (or after a
 * short while), given its size back. Both changes must happen while the job's group holds the
 * terminal, so that the kernel signals the job rather than its runner: for a stopped job that is
 * after its runner reports it running again. A job that is not on the alternate screen (a build
 * printing lines) is left alone: a redraw request would only disturb it.
 */
final class Repaint {
    /** Longest wait for the job's answer to the shorter size before the size is put back. */
    private static final long ANSWER_MILLIS = 300;

    private final JobPty pty;
    private final AltScreen screen = new AltScreen();
    private volatile boolean afterResume;
    /** The first client (run's own) saw everything from the start: nothing to redraw for it. */
    private volatile boolean attachedBefore;
    private volatile CompletableFuture<Void> answer;

    Repaint(JobPty pty) {
        this.pty = pty;
    }

    /** Every byte the job writes, in order, from the pty reader. */
    void output(byte[] b, int off, int len) {
        screen.scan(b, off, len);
        CompletableFuture<Void> a = answer;
        if (a != null) a.complete(null);
    }

    /**
     * A job adopted from a previous daemon, which saw its output: whether it is on the alternate
     * screen is read from the end of its log. Its first client here is not run's own (a returning
     * one has perhaps printed a notice over the screen), so that one too gets a redraw.
     */
    void adopted(byte[] recentOutput) {
        screen.scan(recentOutput, 0, recentOutput.length);
        attachedBefore = true;
    }

    /** A client attached: a running job is asked now, a stopped one once it runs again. */
    void attached(boolean wasStopped) {
        boolean first = !attachedBefore;
        attachedBefore = true;
        if (first || !screen.active()) return;
        if (wasStopped) afterResume = true;
        else nudge();
    }

    /** The runner reports the job running again, in the terminal's foreground. */
    void continued() {
        if (!afterResume) return;
        afterResume = false;
        nudge();
    }

    private void nudge() {
        int[] size = pty.size();
        CompletableFuture<Void> a = new CompletableFuture<>();
        answer = a;
        pty.resizeForNow(size[0] > 1 ? size[0] - 1 : size[0] + 1, size[1]);
        a.completeOnTimeout(null, ANSWER_MILLIS, TimeUnit.MILLISECONDS)
                .thenRun(() -> {
                    answer = null;
                    pty.restoreSize();
                });
    }
}
