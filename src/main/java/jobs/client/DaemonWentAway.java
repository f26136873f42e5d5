package jobs.client;

import jobs.config.RuntimePaths;

/**
 * The daemon closed the connection without reading the request (see Replies.first): cli.Main
 * waits for a daemon to answer again and runs the command once more. Left uncaught, it is the
 * lost connection's one line, as any JobsException.
 */
public final class DaemonWentAway extends JobsException {
    private static final long WAIT_NANOS = 10_000_000_000L;

    DaemonWentAway(String message) {
        super(1, message);
    }

    /** Until a daemon accepts connections again (a restart's next one), for at most 10 s. */
    public void awaitDaemon() {
        RuntimePaths paths = RuntimePaths.fromEnvironment(System.getenv());
        long end = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < end) {
            try {
                AttachableSocket.connect(paths).close();
                return;
            } catch (java.io.IOException | JobsException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
