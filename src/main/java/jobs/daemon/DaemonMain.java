package jobs.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.config.StatePaths;
import jobs.posix.Processes;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Starts the daemon: one per user, enforced by a lock file; a socket left by a dead daemon is
 * removed only when connecting to it fails (pueue), so a live daemon is never cut off.
 */
public final class DaemonMain {
    private DaemonMain() {}

    /** Runs the daemon in this process until kill-server; returns the exit code. */
    public static int run(Path logFile) {
        RuntimePaths paths;
        try {
            paths = RuntimePaths.fromEnvironment().ensurePrivate();
        } catch (IOException e) {
            System.err.println("jobs: " + e.getMessage());
            return 1;
        }
        Path log = logFile != null ? logFile.toAbsolutePath() : paths.log();
        System.setProperty("jobs.log.file", log.toString());
        try {
            // leave the caller's session, so closing that terminal does not hang us up
            Processes.setsid();
        } catch (IOException alreadyLeader) {
            // started by a service manager as a group leader: it has no terminal to lose
        }
        try {
            return serve(paths, Settings.load(System.getenv()), StatePaths.fromEnvironment(System.getenv()));
        } catch (IOException e) {
            System.err.println("jobs: daemon: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(DaemonMain.class).error("daemon failed", e);
            return 1;
        }
    }

    /** Serves until kill-server, keeping no output logs; for tests. */
    public static int serve(RuntimePaths paths, Settings settings) throws IOException {
        return serve(paths, settings, null);
    }

    /** Serves until kill-server, with the jobs' output logs under state; for tests and {@link #run}. */
    public static int serve(RuntimePaths paths, Settings settings, StatePaths state) throws IOException {
        try (FileChannel lockFile = FileChannel.open(paths.lock(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.tryLock();
            if (lock == null) {
                System.err.println("jobs: a daemon is already running");
                return 1;
            }
            removeStaleSocket(paths.socket());
            recordBuild(paths);
            AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(paths.socket()));
            Files.setPosixFilePermissions(paths.socket(),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            CodecWarmUp.run();
            new Daemon(paths, settings, server, state).run();
            return 0;
        }
    }

    /**
     * Says which build this daemon is, before it binds: an installed bin/jobs that finds another
     * build here hands the jobs to a daemon of its own build, as a rebuild does in a checkout.
     */
    private static void recordBuild(RuntimePaths paths) throws IOException {
        String build = System.getProperty(JvmCommand.BUILD);
        if (build == null) {
            Files.deleteIfExists(paths.build());
            return;
        }
        Path temp = paths.dir().resolve("build." + ProcessHandle.current().pid());
        Files.writeString(temp, build + "\n");
        Files.move(temp, paths.build(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket)) return;
        try (AFUNIXSocket probe = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            throw new IOException("another daemon answers on " + socket);
        } catch (java.net.SocketException dead) {
            Files.deleteIfExists(socket);
        }
    }
}
