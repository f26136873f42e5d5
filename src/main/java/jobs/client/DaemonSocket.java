package jobs.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Connections to the user's daemon. Commands that only exchange frames use a JDK channel (no
 * native library to load); attaching needs junixsocket to receive the data socket's descriptor.
 */
final class DaemonSocket {
    /** Room for the SCM_RIGHTS header and a few descriptors. */
    private static final int ANCILLARY_BUFFER = 256;
    private static final long RETRY_MILLIS = 25;
    private static final long LOSER_GRACE_NANOS = 3_000_000_000L;

    private DaemonSocket() {}

    /** For list and kill-server: never starts a daemon. */
    static SocketChannel plain(RuntimePaths paths) {
        checkRuntimeDir(paths);
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(paths.socket()));
                return ch;
            } catch (IOException e) {
                ch.close();
                throw noDaemon();
            }
        } catch (IOException e) {
            throw new JobsException(1, "cannot create a socket: " + e.getMessage());
        }
    }

    /** For continue: an attachable connection to a daemon that must already run. */
    static AFUNIXSocket attachable(RuntimePaths paths) {
        checkRuntimeDir(paths);
        try {
            return connect(paths);
        } catch (IOException e) {
            throw noDaemon();
        }
    }

    /** For run: connects, starting the daemon first when none answers. */
    static AFUNIXSocket attachableStartingDaemon(RuntimePaths paths, Map<String, String> env) {
        try {
            paths.ensurePrivate();
        } catch (IOException e) {
            throw new JobsException(1, e.getMessage());
        }
        try {
            return connect(paths);
        } catch (IOException firstTry) {
            // no daemon, or a stale socket file: start one and wait for it below
        }
        Process daemon = startDaemon(paths);
        long deadline = System.nanoTime() + Settings.load(env).daemonStartMillis() * 1_000_000L;
        boolean exited = false;
        while (true) {
            try {
                return connect(paths);
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

    private static AFUNIXSocket connect(RuntimePaths paths) throws IOException {
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
        ProcessBuilder pb = new ProcessBuilder(JvmCommand.daemon(List.of()))
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

    private static void checkRuntimeDir(RuntimePaths paths) {
        if (!Files.exists(paths.dir())) throw noDaemon();
        try {
            paths.checkPrivate();
        } catch (IOException e) {
            throw new JobsException(1, e.getMessage());
        }
    }

    private static JobsException noDaemon() {
        return new JobsException(1, "no daemon running");
    }
}
