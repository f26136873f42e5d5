package jobs.daemon;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.config.StatePaths;
import jobs.job.Connection;
import jobs.protocol.Event;
import jobs.protocol.Json;
import jobs.protocol.Message;
import jobs.protocol.VersionMismatch;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The accept loop. Each connection gets a virtual thread that reads its first frame and hands it
 * to {@link Requests}; a frame that cannot be read gets an error event and that connection
 * closes, nothing else. Only the daemon's own uid may connect (SO_PEERCRED).
 */
final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final RuntimePaths paths;
    private final Requests requests;
    private final SocketWatch watch;
    /** Replaced when the socket file was removed and bound again (see SocketWatch). */
    private volatile AFUNIXServerSocket server;
    private volatile boolean stopping;
    /** Locks taken again after the lock file was removed; held until the process exits. */
    private final List<FileChannel> relocks = new ArrayList<>();
    private final int uid = RuntimePaths.currentUid();
    private final AtomicInteger connections = new AtomicInteger();
    /** Connections that have not sent their first frame yet, oldest first. */
    private final ConcurrentLinkedDeque<Connection> waiting = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final int maxWaiting = maxWaiting();
    private volatile long lastEviction;

    Daemon(RuntimePaths paths, Settings settings, AFUNIXServerSocket server) throws IOException {
        this(paths, settings, server, null);
    }

    Daemon(RuntimePaths paths, Settings settings, AFUNIXServerSocket server, StatePaths state) throws IOException {
        this.paths = paths;
        this.server = server;
        this.requests = new Requests(paths, settings, new JobTable(), this::stop, state);
        this.watch = new SocketWatch(paths, this);
    }

    void run() {
        log.info("daemon {} listening on {}", ProcessHandle.current().pid(), paths.socket());
        watch.start();
        requests.startPool();
        // accept(2) blocks in native code: it gets a platform thread of its own, not a carrier
        while (!stopping) {
            AFUNIXServerSocket current = server;
            AFUNIXSocket socket;
            try {
                socket = current.accept();
            } catch (IOException e) {
                if (stopping) break;
                if (current != server) continue; // bound again: accept on the new one
                // EMFILE and the like: the daemon must outlive them, or every job goes with it
                log.warn("accept failed: {}", e.getMessage());
                backOff();
                continue;
            }
            int n = connections.incrementAndGet();
            try {
                Thread.ofVirtual().name("conn-" + n).start(() -> serve(socket));
            } catch (RuntimeException | OutOfMemoryError e) {
                // no thread for this one: drop it, keep accepting for the others
                log.error("cannot serve a connection: {}", e.toString());
                closeQuietly(socket);
                backOff();
            }
        }
        requests.awaitStopped();
        log.info("daemon stopped");
    }

    private void serve(AFUNIXSocket socket) {
        Connection conn;
        try {
            conn = new Connection(socket);
            int peer = conn.peerUid();
            if (peer != uid) {
                log.warn("refused a connection from uid {}", peer);
                conn.close();
                return;
            }
        } catch (IOException e) {
            log.warn("cannot set up connection: {}", e.getMessage());
            closeQuietly(socket);
            return;
        }
        try {
            Message first = firstFrame(conn);
            if (first == null) return;
            log.debug("request {}", first);
            requests.serve(first, conn);
        } catch (VersionMismatch e) {
            // an old client cannot read this daemon's frames either: it reports the mismatch itself
            log.warn("a client of protocol version {} connected; this daemon speaks {}", e.peerVersion(),
                    Json.PROTOCOL_VERSION);
            try {
                conn.send(new Event.Error(Event.ErrorKind.BAD_REQUEST, e.getMessage()));
            } catch (IOException gone) {
                // the peer left: nothing to tell
            }
        } catch (IOException e) {
            log.info("bad or broken connection: {}", e.getMessage());
            try {
                conn.send(new Event.Error(Event.ErrorKind.BAD_REQUEST, e.getMessage()));
            } catch (IOException gone) {
                // the peer left: nothing to tell
            }
        } catch (RuntimeException | LinkageError e) {
            log.error("request failed", e);
            try {
                conn.send(new Event.Error(Event.ErrorKind.INTERNAL,
                        "internal error: " + e + " (log: " + System.getProperty("jobs.log.file") + ")"));
            } catch (IOException gone) {
                // the peer left: nothing to tell
            }
        } finally {
            MDC.clear();
            conn.close();
        }
    }

    /**
     * A connection's first frame. Connections that send nothing cost a descriptor each: past
     * maxWaiting of them, the oldest is closed, so that a flood of idle connections can neither
     * run the daemon out of descriptors nor lock out the next real client.
     */
    private Message firstFrame(Connection conn) throws IOException {
        waiting.addLast(conn);
        if (waitingCount.incrementAndGet() > maxWaiting) {
            Connection oldest = waiting.pollFirst();
            if (oldest != null) {
                waitingCount.decrementAndGet();
                long now = System.nanoTime();
                if (now - lastEviction > 1_000_000_000L) {
                    log.warn("more than {} connections sent nothing: closing the oldest", maxWaiting);
                }
                lastEviction = now;
                oldest.close();
            }
        }
        try {
            return conn.read();
        } finally {
            if (waiting.remove(conn)) waitingCount.decrementAndGet();
        }
    }

    /** A quarter of the descriptor limit, within [16, 1024]: the rest is for jobs. */
    private static int maxWaiting() {
        long limit = 4096;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.clamp(limit / 4, 16, 1024);
    }

    private static void backOff() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Binds the socket again after it was removed, and takes the lock again if its file went
     * too, so that no second daemon can start beside this one. Leaves a socket that another
     * daemon bound meanwhile alone: its owner serves it.
     */
    synchronized void restoreSocket() throws IOException {
        if (stopping || Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS)) return;
        paths.ensurePrivate();
        FileChannel lockFile = FileChannel.open(paths.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lockFile.tryLock() == null) {
                lockFile.close();
                log.error("another daemon holds {}: this one's jobs can no longer be reached", paths.lock());
                return;
            }
            relocks.add(lockFile);
        } catch (OverlappingFileLockException ours) {
            lockFile.close(); // the lock file is still the one this daemon locked at start
        }
        AFUNIXServerSocket fresh = AFUNIXServerSocket.newInstance();
        fresh.bind(AFUNIXSocketAddress.of(paths.socket()));
        Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-------"));
        AFUNIXServerSocket old = server;
        old.setDeleteOnClose(false); // its path is the fresh socket's now
        server = fresh;
        closeQuietly(old);
        log.info("listening again on {}", paths.socket());
    }

    /** Stops accepting and removes the socket; the process exits when run() returns. */
    private synchronized void stop() {
        stopping = true;
        watch.stop();
        try {
            Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            log.warn("cannot remove socket: {}", e.getMessage());
        }
        closeQuietly(server);
        relocks.forEach(Daemon::closeQuietly);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do about a failed close
        }
    }
}
