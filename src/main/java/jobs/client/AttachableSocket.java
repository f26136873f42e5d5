package jobs.client;

import java.io.IOException;
import java.util.Map;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Attachable connections to the user's daemon: junixsocket, to receive the data socket's descriptor. */
final class AttachableSocket {
    /** Room for the SCM_RIGHTS header and a few descriptors. */
    private static final int ANCILLARY_BUFFER = 256;
    private static final long RETRY_MILLIS = 25;
    private static final long LOSER_GRACE_NANOS = 3_000_000_000L;

    private AttachableSocket() {}

    /** For continue: an attachable connection to a daemon that must already run. */
    static AFUNIXSocket connect(RuntimePaths paths) {
        DaemonSocket.checkRuntimeDir(paths);
        try {
            return open(paths);
        } catch (IOException e) {
            throw DaemonSocket.noDaemon();
        }
    }

    /**
     * For continue: as {@link #connect}, but while a dead daemon's runners are starting the next
     * one (see Survivors), it waits for that one instead of saying there is no daemon.
     */
    static AFUNIXSocket connectAfterCrash(RuntimePaths paths) {
        AFUNIXSocket s = ifRunning(paths);
        if (s == null) throw DaemonSocket.noDaemon();
        return s;
    }

    /**
     * For list: as DaemonSocket.ifRunning, but attachable, so that the terminal can go along for
     * the daemon to measure; null when no daemon runs (no jobs, not an error).
     */
    static AFUNIXSocket ifRunning(RuntimePaths paths) {
        if (!java.nio.file.Files.exists(paths.dir())) return null;
        DaemonSocket.checkRuntimeDir(paths);
        return Survivors.awaitDaemon(paths, () -> {
            try {
                return open(paths);
            } catch (IOException notYet) {
                return null;
            }
        });
    }

    /** For run: connects, starting the daemon first when none answers. */
    static AFUNIXSocket startingDaemon(RuntimePaths paths, Map<String, String> env) {
        try {
            paths.ensurePrivate();
        } catch (IOException e) {
            throw new JobsException(1, e.getMessage());
        }
        try {
            return open(paths);
        } catch (IOException firstTry) {
            // no daemon, or a stale socket file: start one and wait for it below
        }
        Process daemon = startDaemon(paths);
        long deadline = System.nanoTime() + Settings.load(env).daemonStartMillis() * 1_000_000L;
        boolean exited = false;
        while (true) {
            try {
                return open(paths);
            } catch (IOException notYet) {
                // Two clients may race to start a daemon: the loser exits on the lock file and
                // both clients end up talking to the winner, which took the lock first and so is
                // already well on its way. A daemon of ours that failed shortens the wait, not ends it
                // (one that exits 0 may have handed over to a detached copy of itself).
                if (!exited && !daemon.isAlive() && daemon.exitValue() != 0) {
                    exited = true;
                    deadline = Math.min(deadline, System.nanoTime() + LOSER_GRACE_NANOS);
                }
                if (System.nanoTime() > deadline) {
                    throw new JobsException(1, "daemon did not start (see " + paths.log() + ")");
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JobsException(1, "interrupted while starting the daemon");
                }
            }
        }
    }

    private static AFUNIXSocket open(RuntimePaths paths) throws IOException {
        AFUNIXSocket s = AFUNIXSocket.newInstance();
        try {
            // without this buffer the descriptor that comes with Running is dropped silently
            s.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER);
            s.connect(AFUNIXSocketAddress.of(paths.socket()));
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The daemon detaches itself (setsid) and logs to its own file; it gets nothing of ours, so
     * that a pipe from our caller ({@code $(jobs run -d ...)}) is not held open by it forever.
     */
    private static Process startDaemon(RuntimePaths paths) {
        ProcessBuilder pb = new ProcessBuilder(JvmCommand.detachedDaemon())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.directory(new java.io.File("/"));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new JobsException(1, "cannot start the daemon: " + e.getMessage());
        }
    }
}
