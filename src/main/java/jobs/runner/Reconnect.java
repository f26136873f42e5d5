package jobs.runner;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;

/**
 * How a runner whose daemon is gone finds the next one, forever and without busy waiting:
 * tries with growing delays (from a random fraction of a second, so that a crowd of runners
 * does not knock at once), each cut short when a file appears in the runtime directory (a
 * daemon binding its socket), after which it tries again soon; no CPU in between. When nobody
 * answers, the runner that takes the start lock first starts a daemon; the daemon's own lock
 * keeps it to one even if a {@code jobs} command starts one at the same time.
 */
final class Reconnect {
    private static final long FIRST_MILLIS = 250;
    /** The longest delay when the runtime directory cannot be watched: the tries are all there is. */
    private static final long LAST_MILLIS = 30_000;
    /**
     * The longest delay while the directory is watched: a daemon's socket wakes the runner by
     * itself, so a try only stands in for starting a daemon. A try of an interpreted runner
     * costs ~0.5 ms of CPU: 50 runners at half a minute spent 1 to 3 clock ticks every 10 s.
     */
    private static final long WATCHED_LAST_MILLIS = 5 * 60_000;
    /**
     * Starts are spaced from a second (the dead daemon may hold its lock for a moment longer
     * than its socket) up to a minute: a daemon that will not start (a broken build) costs a JVM a
     * minute, not a loop.
     */
    private static final long FIRST_START_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LAST_START_GAP_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long HANDED_OVER_START_GAP_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Path socket;
    private final RuntimePaths paths;
    private long delayMillis = ThreadLocalRandom.current().nextLong(20, FIRST_MILLIS);
    private long startGap = FIRST_START_GAP_NANOS;
    private long lastStart = System.nanoTime() - LAST_START_GAP_NANOS;
    /** Whether a file appearing in the runtime directory wakes this runner. */
    private boolean watched;

    /**
     * handedOver: the daemon went on purpose (restart-server), and the client that asked for it
     * starts the next one, of the build the user wants: no runner starts one of its own for
     * a while, only if that client never does.
     */
    Reconnect(Path socket, boolean handedOver) {
        this.socket = socket;
        this.paths = new RuntimePaths(socket.getParent());
        if (handedOver) {
            lastStart = System.nanoTime();
            startGap = HANDED_OVER_START_GAP_NANOS;
        }
    }

    /** A link to a daemon of our uid; blocks until there is one. */
    DaemonLink await() {
        try (WatchService watch = watchDir()) {
            watched = watch != null;
            while (true) {
                boolean appeared = pause(watch);
                try {
                    return DaemonLink.connectOwn(socket);
                } catch (IOException nobody) {
                    // no daemon yet, or not one of ours
                }
                if (System.nanoTime() - lastStart >= startGap) {
                    startDaemon();
                    startGap = Math.min(LAST_START_GAP_NANOS, startGap * 2);
                }
                // a socket that appeared but does not answer yet (or a file of no interest)
                // is tried again soon: only a try can see it when it starts listening
                delayMillis = appeared ? FIRST_MILLIS : Math.min(lastMillis(), delayMillis * 2);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // close of the watch service only
        }
    }

    /** The daemon refused us (shutting down, or it does not know our token): wait longer. */
    void refused() {
        delayMillis = Math.min(lastMillis(), Math.max(delayMillis, FIRST_MILLIS) * 2);
    }

    private long lastMillis() {
        return watched ? WATCHED_LAST_MILLIS : LAST_MILLIS;
    }

    private WatchService watchDir() {
        try {
            WatchService w = socket.getFileSystem().newWatchService();
            paths.dir().register(w, StandardWatchEventKinds.ENTRY_CREATE);
            return w;
        } catch (IOException | RuntimeException e) {
            return null; // the directory is gone or inotify is exhausted: plain delays still work
        }
    }

    /** Waits for the delay or a new file in the directory; true for a new file. */
    private boolean pause(WatchService watch) {
        try {
            if (watch == null || !watched) {
                Thread.sleep(delayMillis);
                return false;
            }
            var key = watch.poll(delayMillis, TimeUnit.MILLISECONDS);
            if (key == null) return false;
            key.pollEvents();
            // false: the directory is gone, and with it the watch: delays alone from now on
            watched = key.reset();
            // a socket is bound a moment before it listens
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException closed) {
            // ClosedWatchServiceException: delays alone from now on
            watched = false;
        }
        return false;
    }

    /**
     * Starts a daemon unless another runner is doing so; holds the start lock until it answers,
     * so that the others wait for it instead of starting their own.
     */
    private void startDaemon() {
        lastStart = System.nanoTime();
        try {
            paths.ensurePrivate();
        } catch (IOException e) {
            return; // not ours to repair: the next jobs command says what is wrong
        }
        try (FileChannel ch = FileChannel.open(paths.startLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                awaitStarter(ch);
                return;
            }
            if (answers()) return;
            Process daemon = daemonProcess().start();
            long deadline = System.nanoTime() + START_WAIT_NANOS;
            while (!answers() && daemon.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
        } catch (IOException | RuntimeException e) {
            // no daemon this time: the next round tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Another process holds the start lock, so it is starting a daemon: wait until it is done,
     * blocked in the kernel rather than trying again on a timer (fifty runners trying every few
     * seconds were most of what a crowd of orphaned runners cost). Then the next round connects
     * to what it started, or, if it failed, goes on by the usual delays without starting one
     * at once: a line of waiting runners must not start daemons one after another.
     */
    private static void awaitStarter(FileChannel ch) throws IOException {
        ch.lock().release();
    }

    private boolean answers() {
        try (DaemonLink probe = DaemonLink.connectOwn(socket)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * As a client starts one (it detaches itself), but it must not inherit the job's terminal,
     * and it must find this runtime directory from its environment.
     */
    private ProcessBuilder daemonProcess() {
        ProcessBuilder pb = new ProcessBuilder(JvmCommand.detachedDaemon())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .directory(new File("/"));
        // the runner's single malloc arena (JobPty) would make the daemon's threads queue for it
        pb.environment().remove("MALLOC_ARENA_MAX");
        Path dir = paths.dir();
        if (dir.getFileName().toString().equals("job-security") && dir.getParent() != null) {
            pb.environment().put("XDG_RUNTIME_DIR", dir.getParent().toString());
        }
        return pb;
    }
}
