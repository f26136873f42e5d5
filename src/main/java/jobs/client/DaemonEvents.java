package jobs.client;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import jobs.posix.RawMode;
import jobs.protocol.Event;

/**
 * The control connection's events, read on the thread that runs the session, until one ends it.
 * The daemon finishes writing and shuts down its side of the data socket before it sends Stopped
 * or Finished, so the output is drained to EOF before the terminal is restored and the status
 * line printed: no byte of the job is lost or printed after the prompt. When the connection is
 * lost and the daemon with it, the session is carried over to the next daemon (see reattach).
 */
final class DaemonEvents {
    /** How long the drain may go without a single byte before the daemon is assumed broken. */
    private static final long DRAIN_STALL_MILLIS = 5000;
    /** How long a reattach waits for the old data socket's last bytes. */
    private static final long OLD_OUTPUT_MILLIS = 2000;
    private static final long NOTICE_AFTER_MILLIS = 1000;

    private final SessionState state;
    private final Event.Running session;
    /** Null without a terminal. */
    private final RawMode raw;
    private final TerminalToJob keys;
    private final SizeWatch sizes;
    /** Null: the session ends with its daemon. */
    private final Reattach reattach;
    private final FileOutputStream stdout;
    /** Replaced by a reattach; only this thread reads it. */
    private InputStream events;

    DaemonEvents(SessionState state, Event.Running session, RawMode raw, TerminalToJob keys, SizeWatch sizes,
                 Reattach reattach, FileOutputStream stdout, InputStream events) {
        this.state = state;
        this.session = session;
        this.raw = raw;
        this.keys = keys;
        this.sizes = sizes;
        this.reattach = reattach;
        this.stdout = stdout;
        this.events = events;
    }

    /** Until the session ends: its exit code, or a JobsException for the user. */
    int run() {
        Event next = null;
        while (true) {
            Event e = next;
            next = null;
            if (e == null) {
                try {
                    e = Replies.read(events);
                } catch (JobsException lost) {
                    SessionState.ClosedBy by = state.closedBy();
                    if (by == SessionState.ClosedBy.BROKEN_STDOUT) return 128 + 13; // as a pipeline member killed by SIGPIPE
                    if (by == SessionState.ClosedBy.DETACH_KEY) return detached();
                    next = reattach();
                    if (next == null) throw lost;
                    if (!(next instanceof Event.Running)) state.resume(); // no data socket: writes fail and end
                    continue;
                }
            }
            if (e instanceof Event.Running) {
                state.resume(); // a reattach's answer: the job is back
                continue;
            }
            // if-chain rather than a pattern switch, as in Client.answer
            if (e instanceof Event.Stopped s) {
                endSession();
                startLine();
                System.err.println(Replies.stoppedLine(s));
                return 0;
            }
            if (e instanceof Event.Finished f) {
                endSession();
                if (f.signal() != null) startLine();
                return Replies.finished(f);
            }
            if (e instanceof Event.TakenOver t) {
                endSession();
                startLine();
                System.err.println("[" + t.id() + "] Taken over by another terminal");
                return 0;
            }
            if (e instanceof Event.Error err) throw Replies.error(err);
            // nothing else is meant for an attached client
        }
    }

    /**
     * The session is over (stopped, ended, taken over, detached): no more keys for the job, its
     * output drained to EOF, keys meant for the shell given back, the terminal restored.
     */
    private void endSession() {
        state.end();
        keys.stop();
        state.drain(DRAIN_STALL_MILLIS);
        // typed back while the terminal is still raw, so that they are not echoed twice
        byte[] held = state.takeHeld();
        if (held != null && held.length > 0 && raw != null) raw.restoreAndType(held);
        if (raw != null) raw.restore();
    }

    /** The daemon let the job go on without us: the terminal goes back to the shell. */
    private int detached() {
        endSession();
        startLine();
        System.err.println("[" + session.id() + "] Detached  " + String.join(" ", session.command()));
        return 0;
    }

    /** A status line must not be glued to a job's last, unfinished line (a "^C" echo, a prompt). */
    private void startLine() {
        if (raw != null && !state.atLineStart()) System.err.print("\n");
    }

    /**
     * The daemon is gone (crash, kill -9, restart-server): the job is not. Keys wait (the
     * terminal stays raw and keeps them), the output of the old connection is drained, and the
     * job is continued through the next daemon, which replays what the job wrote meanwhile.
     * Says so in one line only if that takes more than a second. Returns the new daemon's first
     * event, or null: no way back.
     */
    private Event reattach() {
        if (reattach == null || state.over()) return null;
        state.reattaching();
        state.awaitDrained(OLD_OUTPUT_MILLIS);
        SessionState.Link old = state.link();
        Attachment.closeQuietly(old.control());
        Attachment.closeQuietly(old.dataIn());
        Attachment.closeQuietly(old.dataOut());
        Attachment.start("reattach notice", this::noticeIfSlow);
        Reattach.Reattached back = reattach.reattach(session.id(), Sizes.current());
        if (back == null) {
            state.giveUp();
            return null;
        }
        try {
            SessionState.Link next = new SessionState.Link(back.socket(), old.dataIn(), old.dataOut());
            if (back.first() instanceof Event.Running) {
                FileDescriptor[] fds = back.socket().getReceivedFileDescriptors();
                if (fds == null || fds.length == 0) throw new IOException("no data socket");
                next = new SessionState.Link(back.socket(), new FileInputStream(fds[0]), new FileOutputStream(fds[0]));
            }
            events = back.socket().getInputStream();
            state.swap(next);
            sizes.attached(back.socket().getOutputStream());
            if (next.dataIn() != old.dataIn()) JobToTerminal.start(state, session.id(), next.dataIn(), stdout);
            return back.first();
        } catch (IOException e) {
            Attachment.closeQuietly(back.socket());
            state.giveUp();
            return null;
        }
    }

    private void noticeIfSlow() {
        if (state.awaitBack(NOTICE_AFTER_MILLIS)) return;
        System.err.print("[jobs: the daemon went away; reattaching to job " + session.id() + "...]"
                + (raw != null ? "\r\n" : "\n"));
        System.err.flush();
    }
}
