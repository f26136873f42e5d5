package jobs.client;

import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Arrays;
import jobs.posix.CancellableInput;

/**
 * The user's keys to the job's data socket, on a platform thread of its own. It reads stdin with a
 * CancellableInput, so that the session's end can stop it before it reads a key meant for the
 * shell. The detach key and the keys after Ctrl-Z, Ctrl-C or Ctrl-\ are decided here; where the
 * keys go (and whether they must wait for a reattach) is the SessionState's to say.
 */
final class TerminalToJob {
    private static final byte VEOF = 0x04;
    /**
     * After a key that may stop or end the job (Ctrl-Z, Ctrl-C, Ctrl-\), input is held back this
     * long: what the user types next belongs to their shell if the job did stop, so it must stay
     * unread in the terminal. If the job ignored the key, the held input follows a little late.
     */
    private static final long HOLD_AFTER_SIGNAL_KEY_MILLIS = 500;

    private final SessionState state;
    private final DoubleTap detachKey;
    /** Without a terminal: no keys to interpret, and the end of input becomes VEOF. */
    private final boolean piped;
    /** With a way back to a restarted daemon, a failed write waits for it. */
    private final boolean survivesDaemon;
    private final CancellableInput stdin;
    /** Both only the events thread's, which starts and stops the input: no lock needed. */
    private Thread thread;
    private boolean stopped;

    private TerminalToJob(SessionState state, int detachKey, boolean piped, boolean survivesDaemon) throws IOException {
        this.state = state;
        this.detachKey = detachKey == DetachKey.NONE ? null : new DoubleTap(detachKey, () -> detach(new byte[0]));
        this.piped = piped;
        this.survivesDaemon = survivesDaemon;
        this.stdin = CancellableInput.of(0);
    }

    static TerminalToJob start(SessionState state, int jobId, int detachKey, boolean piped, boolean survivesDaemon)
            throws IOException {
        TerminalToJob keys = new TerminalToJob(state, detachKey, piped, survivesDaemon);
        keys.thread = Attachment.start("job-" + jobId + " input", keys::run);
        return keys;
    }

    /**
     * Once the job stopped or ended, what the user types is for their shell: the thread must stop
     * reading. It must also have left poll(2) before the JVM exits, which otherwise waits 300 ms
     * for a thread in a native call. A second wait for a thread stuck in a write would only delay
     * the exit.
     */
    void stop() {
        if (stopped) return;
        stopped = true;
        stdin.cancel();
        try {
            thread.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) stdin.close();
    }

    /**
     * Keystrokes to the job. Without a terminal, end of input becomes VEOF for the job's terminal,
     * which ends a line-reading job ({@code echo hi | jobs run cat}); a partial line needs two.
     */
    private void run() {
        byte[] buf = new byte[8192];
        int last = '\n';
        try {
            int n;
            while ((n = stdin.read(buf, 0, buf.length)) > 0) {
                last = buf[n - 1];
                if (detachKey != null && !piped) {
                    DoubleTap.Filtered f = detachKey.filter(buf, n);
                    if (f.forward() > 0 && !forward(buf, f.forward())) return;
                    if (f.detach()) {
                        detach(f.rest());
                        return;
                    }
                    continue;
                }
                if (!forward(buf, n)) return;
            }
            if (piped && !state.over()) {
                byte[] eof = last == '\n' ? new byte[] {VEOF} : new byte[] {VEOF, VEOF};
                write(eof, 0, eof.length);
            }
        } catch (IOException e) {
            // the job or the terminal went away; the control connection decides what happens next
        }
    }

    /** Sends n bytes; returns false when the session ended while a signal key was pending. */
    private boolean forward(byte[] buf, int n) throws IOException {
        int from = 0;
        for (int i = 0; i < n && !piped; i++) {
            if (buf[i] != 0x1a && buf[i] != 0x03 && buf[i] != 0x1c) continue;
            write(buf, from, i + 1 - from);
            from = i + 1;
            if (!state.holdBack(Arrays.copyOfRange(buf, from, n), HOLD_AFTER_SIGNAL_KEY_MILLIS)) return false;
        }
        write(buf, from, n - from);
        return true;
    }

    /**
     * Asks the daemon to let the job run on unattended: the end of the control connection means
     * exactly that to it. It then closes the data socket, so the output still on its way drains.
     * Not shutdownOutput: junixsocket refuses it ("not connected") on this socket. The close also
     * ends the events thread's wait, which then finds the session detaching.
     */
    private void detach(byte[] forShell) {
        Attachment.closeQuietly(state.detach(forShell));
    }

    /**
     * To the job, through whichever daemon has it now. A write that fails because the daemon
     * died waits for the reattach and goes to the new one.
     */
    private void write(byte[] b, int off, int len) throws IOException {
        while (true) {
            FileOutputStream out = state.dataForKeys();
            try {
                out.write(b, off, len);
                return;
            } catch (IOException e) {
                if (!survivesDaemon || state.over()) throw e;
                state.awaitSwap(out);
            }
        }
    }
}
