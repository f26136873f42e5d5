package jobs.client;

import java.io.InputStream;
import jobs.protocol.Event;

/**
 * The one line a foreground run or continue shows while its job waits to start. On a terminal
 * it is erased once the job starts, so the job's screen begins clean; elsewhere it stays a line
 * of its own. Ctrl-C meanwhile ends this client only: the terminal is not raw yet, and the
 * daemon leaves the job waiting when the connection closes.
 */
final class WaitingLine {
    private WaitingLine() {}

    /**
     * Shows the line and returns the daemon's next event (Running, or Finished if it never
     * starts); null if the daemon went away meanwhile (a crash, restart-server): the job is
     * still waiting, in the next daemon.
     */
    static Event untilStarted(Event.Waiting w, InputStream daemon) {
        boolean terminal = Descriptors.surelyTerminal(2);
        String line = "[" + w.id() + "] " + w.state() + ": waiting for it to start (Ctrl-C leaves it waiting)";
        if (terminal) System.err.print(line);
        else System.err.println(line);
        System.err.flush();
        // Ctrl-C ends the JVM through its shutdown: the shell's prompt then starts on a line of its own
        Thread newline = new Thread(() -> {
            if (terminal) System.err.println();
        });
        Runtime.getRuntime().addShutdownHook(newline);
        Event next;
        try {
            next = Replies.read(daemon);
        } catch (JobsException lost) {
            // the same daemon that said Waiting cannot turn out to be of another version: it went away
            next = null;
        }
        Runtime.getRuntime().removeShutdownHook(newline);
        if (terminal) {
            System.err.print("\r\033[K");
            System.err.flush();
        }
        if (next == null) new DaemonWentAway("").awaitDaemon();
        return next;
    }
}
