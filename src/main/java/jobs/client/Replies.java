package jobs.client;

import java.io.IOException;
import java.io.InputStream;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.VersionMismatch;

/** Reading the daemon's events and turning the final ones into exit codes and messages. */
final class Replies {
    private Replies() {}

    /** The next event; a closed or broken connection becomes the user's error. */
    static Event read(InputStream in) {
        return read(in, false);
    }

    private static Event read(InputStream in, boolean first) {
        Message m;
        try {
            m = Frames.read(in);
        } catch (VersionMismatch e) {
            if (e.upgradable()) throw new OlderDaemon(e);
            throw new JobsException(1, e.getMessage());
        } catch (IOException e) {
            String why = "lost connection to the daemon: " + e.getMessage();
            // no errno in Java: the reset is known by the text of the kernel's ECONNRESET
            if (first && String.valueOf(e.getMessage()).contains("Connection reset")) throw new DaemonWentAway(why);
            throw new JobsException(1, why);
        }
        if (m == null) throw lostConnection();
        if (!(m instanceof Event e)) {
            throw new JobsException(1, "unexpected message from the daemon: " + m.getClass().getSimpleName());
        }
        return e;
    }

    /**
     * The first reply to a request. A reset connection here means the daemon closed it with our
     * request still unread (a daemon on its way out, restarting); a daemon shutting down refuses
     * it. Either way nothing was done, and cli.Main may run the command again once a daemon
     * answers ({@link DaemonWentAway}). A daemon that read it and then died gives an end of
     * stream instead, and that stays an error.
     */
    static Event first(InputStream in) {
        Event e = read(in, true);
        if (e instanceof Event.Error err && err.kind() == Event.ErrorKind.SHUTTING_DOWN) {
            throw new DaemonWentAway(err.message());
        }
        return e;
    }

    static JobsException lostConnection() {
        return new JobsException(1, "lost connection to the daemon");
    }

    /** A daemon refusal: its text is already worded for people. */
    static JobsException error(Event.Error e) {
        int code = switch (e.kind()) {
            case COMMAND_NOT_FOUND -> 127;
            case NOT_EXECUTABLE -> 126;
            default -> 1;
        };
        return new JobsException(code, e.message());
    }

    /** The exit status of a job that never started: a job it waited for failed, or it was killed first. */
    static final int CANCELLED = 125;

    /** The exit code for a finished job: its own code, or 128+N (with one line) for signal N. */
    static int finished(Event.Finished f) {
        if (f.cancelled() != null) throw new JobsException(CANCELLED, "job " + f.id() + " cancelled: " + f.cancelled());
        if (f.lost() != null) {
            int code = f.signal() != null ? 128 + f.signal() : 1;
            throw new JobsException(code, "job " + f.id() + " lost: " + f.lost()
                    + (f.signal() != null ? "; the job was ended with " + Signals.name(f.signal()) : ""));
        }
        if (f.signal() != null) {
            throw new JobsException(128 + f.signal(),
                    "job " + f.id() + " terminated by signal " + Signals.name(f.signal()));
        }
        return f.exitCode() == null ? 0 : f.exitCode();
    }

    static String stoppedLine(Event.Stopped s) {
        return "[" + s.id() + "] Stopped  " + String.join(" ", s.command());
    }
}
