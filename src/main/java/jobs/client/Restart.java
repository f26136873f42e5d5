package jobs.client;

import java.io.IOException;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import jobs.protocol.VersionMismatch;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * {@code jobs restart-server}: the running daemon hands its jobs over and exits, and a fresh one
 * started from the current build adopts them. The daemon and the runners do the hand-over; this
 * only waits for the old daemon to be gone, starts the new one (a runner may have started it
 * first: the lock keeps it to one) and asks it for the jobs, which it answers once the runners are
 * back.
 */
final class Restart {
    private Restart() {}

    static int run() {
        int n = handOver(RuntimePaths.fromEnvironment(System.getenv()));
        System.out.println("daemon restarted; " + jobs(n) + " kept");
        return 0;
    }

    /**
     * A command met a daemon of an older protocol: it hands over as restart-server would. Several
     * commands may meet it at once: each asks it only while it is still that daemon, says so
     * only if its own request was the one obeyed, and all wait until it is gone and a daemon of
     * this build answers.
     */
    static void upgrade(OlderDaemon seen) {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        long old = olderDaemon(paths);
        if (old <= 0) {
            jobsOfNewDaemon(paths); // upgraded by another command, or between daemons: make sure one answers
            return;
        }
        boolean obeyed = askToHandOver(paths, old);
        if (!Reattach.awaitGone(old, 10_000)) throw new JobsException(1, "the daemon (pid " + old + ") did not exit");
        int n = jobsOfNewDaemon(paths);
        if (obeyed) {
            System.err.println("jobs: the daemon was from an older version of jobs (protocol " + seen.daemonVersion()
                    + "); " + jobs(n) + " handed over to this version's daemon");
        }
    }

    /** The pid of the daemon that answers, unless it speaks this build's protocol; -1 if none. */
    private static long olderDaemon(RuntimePaths paths) {
        AFUNIXSocket socket;
        try {
            socket = AttachableSocket.connect(paths);
        } catch (JobsException noDaemon) {
            return -1;
        }
        try (socket) {
            long pid = socket.getPeerCredentials().getPid();
            Client.send(socket.getOutputStream(), new Request.ListJobs());
            try {
                Replies.read(socket.getInputStream());
                return -1;
            } catch (JobsException olderOrGoing) {
                return pid;
            }
        } catch (IOException e) {
            return -1;
        }
    }

    /** restart-server to the daemon of that pid, if it is the one that answers; whether it obeyed this request. */
    private static boolean askToHandOver(RuntimePaths paths, long pid) {
        AFUNIXSocket socket;
        try {
            socket = AttachableSocket.connect(paths);
        } catch (JobsException noDaemon) {
            return false;
        }
        try (socket) {
            if (socket.getPeerCredentials().getPid() != pid) return false;
            Client.send(socket.getOutputStream(), new Request.RestartServer());
            try {
                return Frames.read(socket.getInputStream()) instanceof Event.Done;
            } catch (VersionMismatch older) {
                // its answer is in its own version: Done, or the refusal of a daemon already going
                return "Event.Done".equals(older.frameType());
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The launcher put a new build in place: see Client.newBuild. */
    static int afterBuild() {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        if (!java.nio.file.Files.exists(paths.socket()) || !stopOld(paths)) return 0;
        int n = jobsOfNewDaemon(paths);
        System.err.println("jobs: new build: the daemon was restarted from it; " + jobs(n) + " kept");
        return 0;
    }

    /** Hands every job to a daemon of this build; the number of jobs it has. */
    private static int handOver(RuntimePaths paths) {
        if (java.nio.file.Files.exists(paths.dir())) stopOld(paths);
        return jobsOfNewDaemon(paths);
    }

    /** The number of jobs of the daemon that answers, started from this build if none does. */
    private static int jobsOfNewDaemon(RuntimePaths paths) {
        Map<String, String> env = System.getenv();
        try (AFUNIXSocket socket = AttachableSocket.startingDaemon(paths, env)) {
            Client.send(socket.getOutputStream(), new Request.ListJobs());
            Event e = Replies.read(socket.getInputStream());
            if (!(e instanceof Event.JobList list)) throw Client.unexpected(e);
            return list.jobs() == null ? 0 : list.jobs().size();
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    private static String jobs(int n) {
        return n + (n == 1 ? " job" : " jobs");
    }

    /** Asks the running daemon (if any) to hand over, and waits until its process is gone; whether there was one. */
    private static boolean stopOld(RuntimePaths paths) {
        AFUNIXSocket socket;
        try {
            socket = AttachableSocket.connect(paths);
        } catch (JobsException noDaemon) {
            return false;
        }
        long pid;
        try (socket) {
            pid = socket.getPeerCredentials().getPid();
            Client.send(socket.getOutputStream(), new Request.RestartServer());
            Event e;
            try {
                e = Replies.read(socket.getInputStream());
            } catch (JobsException closed) {
                e = new Event.Done(); // it closed on its way out: it is going
            }
            boolean going = e instanceof Event.Error err && err.kind() == Event.ErrorKind.SHUTTING_DOWN;
            if (!(e instanceof Event.Done) && !going) throw Client.unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
        if (!Reattach.awaitGone(pid, 10_000)) throw new JobsException(1, "the daemon (pid " + pid + ") did not exit");
        return true;
    }
}
