package jobs.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.config.RuntimePaths;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * Finds an attached job again after its daemon died or was restarted: the job lives on in its
 * runner and a new daemon adopts it, so the client connects to that daemon (starting it if no
 * runner has yet) and continues the same job, replaying what it wrote meanwhile. A connection
 * closed by a daemon that is still the same process was no crash: that stays an error.
 */
final class Reattach {
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long RETRY_MILLIS = 100;
    private static final long GONE_WITHIN_MILLIS = 3000;

    private final RuntimePaths paths;
    private final Map<String, String> env;
    private long daemonPid;

    Reattach(RuntimePaths paths, Map<String, String> env, AFUNIXSocket first) {
        this.paths = paths;
        this.env = env;
        this.daemonPid = pidOf(first);
    }

    /** The new control connection and the daemon's answer to its Continue. */
    record Reattached(AFUNIXSocket socket, Event first) {}

    /** Null when there is no new daemon to go to (the old one lives, or none came in time). */
    Reattached reattach(int jobId, WinSize size) {
        if (!awaitGone(daemonPid, GONE_WITHIN_MILLIS)) return null;
        long start = System.nanoTime();
        while (System.nanoTime() - start < GIVE_UP_NANOS) {
            AFUNIXSocket s;
            try {
                s = AttachableSocket.startingDaemon(paths, env);
            } catch (JobsException notYet) {
                pause();
                continue;
            }
            long pid = pidOf(s);
            if (pid == daemonPid) {
                closeQuietly(s);
                return null;
            }
            try {
                Client.send(s.getOutputStream(), new Request.Continue(jobId, false, true, size.rows(), size.cols(), null, false, true));
                Event first = Replies.read(s.getInputStream());
                daemonPid = pid;
                return new Reattached(s, first);
            } catch (IOException | JobsException lostAgain) {
                closeQuietly(s);
                pause();
            }
        }
        return null;
    }

    /**
     * A daemon that closed our connection and lives on let us go on purpose (or is broken in a
     * way a new connection will not mend): then there is nothing to reattach to. One that was
     * killed or is restarting is gone within moments; a zombie counts as gone.
     */
    static boolean awaitGone(long pid, long withinMillis) {
        if (pid <= 0) return false;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        while (alive(pid)) {
            if (System.nanoTime() > end) return false;
            pause();
        }
        return true;
    }

    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static long pidOf(AFUNIXSocket s) {
        try {
            return s.getPeerCredentials().getPid();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AFUNIXSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
