package jobs.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import jobs.config.RuntimePaths;

/**
 * Connections to the user's daemon for commands that only exchange frames: a JDK channel, no
 * native library to load. Attaching needs junixsocket ({@link AttachableSocket}) to receive the
 * data socket's descriptor.
 */
final class DaemonSocket {
    private DaemonSocket() {}

    /** For kill-server: never starts a daemon. */
    static SocketChannel plain(RuntimePaths paths) {
        SocketChannel ch = ifRunning(paths);
        if (ch == null) throw noDaemon();
        return ch;
    }

    /**
     * For list: a daemon that is not running has no jobs, so null here is an answer, not an
     * error. A runtime directory that is not private still is one.
     */
    static SocketChannel ifRunning(RuntimePaths paths) {
        if (!Files.exists(paths.dir())) return null;
        checkRuntimeDir(paths);
        // a daemon that died left runners starting the next one: it has jobs to show
        return Survivors.awaitDaemon(paths, () -> tryConnect(paths));
    }

    private static SocketChannel tryConnect(RuntimePaths paths) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(paths.socket()));
                return ch;
            } catch (IOException e) {
                ch.close();
                return null;
            }
        } catch (IOException e) {
            throw new JobsException(1, "cannot create a socket: " + e.getMessage());
        }
    }

    static void checkRuntimeDir(RuntimePaths paths) {
        if (!Files.exists(paths.dir())) throw noDaemon();
        try {
            paths.checkPrivate();
        } catch (IOException e) {
            throw new JobsException(1, e.getMessage());
        }
    }

    static JobsException noDaemon() {
        return new JobsException(1, "no daemon running");
    }
}
