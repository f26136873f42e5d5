package jobs.daemon;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import jobs.config.RuntimePaths;
import jobs.config.Settings;
import jobs.job.Connection;
import jobs.protocol.Event;
import jobs.protocol.Message;
import jobs.protocol.Request;
import jobs.protocol.RunnerMessage;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
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
    private final AFUNIXServerSocket server;
    private final Requests requests;
    private final int uid = RuntimePaths.currentUid();
    private final AtomicInteger connections = new AtomicInteger();
    /** Connections that have not sent their first frame yet, oldest first. */
    private final ConcurrentLinkedDeque<Connection> waiting = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final int maxWaiting = maxWaiting();
    private volatile long lastEviction;

    Daemon(RuntimePaths paths, Settings settings, AFUNIXServerSocket server) {
        this.paths = paths;
        this.server = server;
        this.requests = new Requests(paths, settings, new JobTable(), this::stop);
    }

    void run() {
        log.info("daemon {} listening on {}", ProcessHandle.current().pid(), paths.socket());
        // accept(2) blocks in native code: it gets a platform thread of its own, not a carrier
        while (!server.isClosed()) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) break;
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
            switch (first) {
                case Request r -> requests.handle(r, conn);
                case RunnerMessage.Hello h -> requests.runnerArrived(h, conn);
                default -> conn.send(new Event.Error(Event.ErrorKind.BAD_REQUEST,
                        "expected a request, got " + first.getClass().getSimpleName()));
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

    /** Stops accepting and removes the socket; the process exits when run() returns. */
    private void stop() {
        try {
            Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            log.warn("cannot remove socket: {}", e.getMessage());
        }
        closeQuietly(server);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do about a failed close
        }
    }
}
