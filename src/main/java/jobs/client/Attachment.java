package jobs.client;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import jobs.posix.RawMode;
import jobs.posix.Terminal;
import jobs.protocol.Event;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * The user's terminal attached to a job: puts it in raw mode and runs the session's three
 * directions, each a blocking loop read top to bottom: {@link TerminalToJob} for the keys and
 * {@link JobToTerminal} for the output on platform threads of their own (stdin's poll(2) through
 * FFM would pin a virtual thread's carrier), and {@link DaemonEvents} for the control connection on
 * the calling thread, which decides when and how the session ends and carries it over to a new
 * daemon. All they share is in one {@link SessionState}, under its one lock.
 */
final class Attachment {
    private final SessionState state;
    private final OutputStream controlOut;
    private final SizeWatch sizes;
    private final int detachKey;
    /** Null: the session ends with its daemon. */
    private final Reattach reattach;

    /** With a reattach, the session survives its daemon's death (see {@link Reattach}). */
    Attachment(AFUNIXSocket control, FileDescriptor data, SizeWatch sizes, int detachKey, Reattach reattach)
            throws IOException {
        this.state = new SessionState(new SessionState.Link(control, new FileInputStream(data), new FileOutputStream(data)));
        this.controlOut = control.getOutputStream();
        this.sizes = sizes;
        this.detachKey = detachKey;
        this.reattach = reattach;
    }

    /** Runs the session to its end and returns the exit code, or throws for the user. */
    int run(Event.Running running) throws IOException {
        boolean tty = !Descriptors.surelyNoTerminal(0) && Terminal.isatty(0);
        RawMode raw = null;
        TerminalToJob keys = null;
        try {
            if (tty) {
                raw = Terminal.enterRaw(0);
                TerminalGuard.set(raw);
            }
            if (running.droppedBytes() > 0) {
                System.err.print("[jobs: " + running.droppedBytes() + " bytes of earlier output were dropped]"
                        + (raw != null ? "\r\n" : "\n"));
                System.err.flush();
            }
            FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
            // the control streams are taken before the output starts: a broken stdout closes
            // the control connection, and must find the events reader waiting, not refused
            InputStream controlIn = state.link().control().getInputStream();
            JobToTerminal.start(state, running.id(), state.link().dataIn(), stdout);
            keys = TerminalToJob.start(state, running.id(), detachKey, !tty, reattach != null);
            sizes.attached(controlOut);
            return new DaemonEvents(state, running, raw, keys, sizes, reattach, stdout, controlIn).run();
        } finally {
            if (keys != null) keys.stop();
            if (raw != null) raw.restore();
        }
    }

    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed, or the daemon is gone
        }
    }
}
