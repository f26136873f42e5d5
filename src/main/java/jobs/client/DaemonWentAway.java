package jobs.client;

import jobs.config.RuntimePaths;

/**
 * The daemon closed the connection without reading the request (see Replies.first): cli.Main
 * waits for a daemon to answer again and runs the command once more. Left uncaught, it is the
 * lost connection's one line, as any JobsException.
 */
public final class DaemonWentAway extends JobsException {
    private static final long GOING_NANOS = 10_000_000_000L;
    private static final long COMING_NANOS = 5_000_000_000L;

    DaemonWentAway(String message) {
        super(1, message);
    }

    /**
     * Until the daemon that went away has stopped listening (at most 10 s), then until a daemon
     * accepts again (at most 5 s: a restart's next one is up within moments; after a
     * kill-server none comes, and the command then finds no daemon, or starts one, as usual).
     */
    public void awaitDaemon() {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        if (!await(paths, false, GOING_NANOS)) return;
        await(paths, true, COMING_NANOS);
    }

    private static boolean await(RuntimePaths paths, boolean listening, long nanos) {
        long end = System.nanoTime() + nanos;
        while (listens(paths) != listening) {
            if (System.nanoTime() > end) return false;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean listens(RuntimePaths paths) {
        try {
            AttachableSocket.connect(paths).close();
            return true;
        } catch (java.io.IOException | JobsException no) {
            return false;
        }
    }
}
