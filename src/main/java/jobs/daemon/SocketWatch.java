package jobs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jobs.config.RuntimePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the daemon's door where clients look for it. Without its socket every job would be
 * unreachable and the next {@code jobs run} would start a second daemon beside this one; in the
 * /tmp fallback directory, cleaners (systemd-tmpfiles, tmpwatch) delete files they think unused,
 * as tmux users learnt. So the files are touched now and then, and if they vanish anyway the
 * daemon binds its socket (and takes its lock) again.
 */
final class SocketWatch {
    private static final Logger log = LoggerFactory.getLogger(SocketWatch.class);
    private static final Duration TOUCH_EVERY = Duration.ofHours(1);

    private final RuntimePaths paths;
    private final Daemon daemon;
    private final long intervalMillis;
    private volatile boolean stopped;

    SocketWatch(RuntimePaths paths, Daemon daemon) {
        this.paths = paths;
        this.daemon = daemon;
        this.intervalMillis = Math.max(10, Long.getLong("jobs.socket.check.millis", 10_000));
    }

    void start() {
        Thread.ofVirtual().name("socket-watch").start(this::loop);
    }

    void stop() {
        stopped = true;
    }

    private void loop() {
        Instant touched = Instant.now();
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) return;
            try {
                if (!Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS)) {
                    log.warn("socket {} was removed: binding it again", paths.socket());
                    daemon.restoreSocket();
                } else if (Duration.between(touched, Instant.now()).compareTo(TOUCH_EVERY) > 0) {
                    touched = Instant.now();
                    touch();
                }
            } catch (IOException | RuntimeException e) {
                log.warn("cannot restore the socket: {}", e.toString());
            }
        }
    }

    private void touch() throws IOException {
        FileTime now = FileTime.from(Instant.now());
        for (Path p : List.of(paths.dir(), paths.socket(), paths.lock())) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Files.setLastModifiedTime(p, now);
        }
    }
}
