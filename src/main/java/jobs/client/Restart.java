package jobs.client;

import java.io.IOException;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Request;
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
     * A command met a daemon of an older protocol: it hands over as restart-server would, and
     * says so in one line, unless another command did it meanwhile (the daemon now answers).
     */
    static void upgrade(OlderDaemon seen) {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        if (!stillOlder(paths)) return;
        int n = handOver(paths);
        System.err.println("jobs: the daemon was from an older version of jobs (protocol " + seen.daemonVersion()
                + "); " + jobs(n) + " handed over to this version's daemon");
    }

    static int afterBuild() {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        if (!java.nio.file.Files.exists(paths.socket())) return 0;
        try {
            AttachableSocket.connect(paths).close();
        } catch (IOException | JobsException noDaemon) {
            return 0;
        }
        int n = handOver(paths);
        System.err.println("jobs: new build: the daemon was restarted from it; " + jobs(n) + " kept");
        return 0;
    }

    /** Hands every job to a daemon of this build; the number of jobs it has. */
    private static int handOver(RuntimePaths paths) {
        Map<String, String> env = System.getenv();
        if (java.nio.file.Files.exists(paths.dir())) stopOld(paths);
        try (AFUNIXSocket socket = AttachableSocket.startingDaemon(paths, env)) {
            Client.send(socket.getOutputStream(), new Request.ListJobs());
            Event e = Replies.read(socket.getInputStream());
            if (!(e instanceof Event.JobList list)) throw Client.unexpected(e);
            return list.jobs() == null ? 0 : list.jobs().size();
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    private static boolean stillOlder(RuntimePaths paths) {
        AFUNIXSocket socket;
        try {
            socket = AttachableSocket.connect(paths);
        } catch (JobsException noDaemon) {
            return false;
        }
        try (socket) {
            Client.send(socket.getOutputStream(), new Request.ListJobs());
            Replies.read(socket.getInputStream());
            return false;
        } catch (OlderDaemon still) {
            return true;
        } catch (IOException | JobsException gone) {
            return false; // on its way out: whoever is upgrading it starts the next one
        }
    }

    private static String jobs(int n) {
        return n + (n == 1 ? " job" : " jobs");
    }

    /** Asks the running daemon (if any) to hand over, and waits until its process is gone. */
    private static void stopOld(RuntimePaths paths) {
        AFUNIXSocket socket;
        try {
            socket = AttachableSocket.connect(paths);
        } catch (JobsException noDaemon) {
            return;
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
            if (!(e instanceof Event.Done)) throw Client.unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
        if (!Reattach.awaitGone(pid, 10_000)) throw new JobsException(1, "the daemon (pid " + pid + ") did not exit");
    }
}
