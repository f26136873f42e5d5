package jobs.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import jobs.config.RuntimePaths;

/**
 * Runners of a daemon that died: each live job has a file {@code runners/ID} with its runner's
 * pid. While no daemon listens and one of those runners lives, a daemon is on its way (the
 * runners start it); a command that would otherwise say "no jobs" or "no daemon" waits for it.
 */
final class Survivors {
    /**
     * Runners start the next daemon within a second or two of noticing, a JVM on a loaded machine
     * a few more; after a planned hand-over they give the client 15 s to do it first.
     */
    static final long WAIT_NANOS = 20_000_000_000L;

    private Survivors() {}

    static boolean present(RuntimePaths paths) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(paths.runners())) {
            for (Path f : files) {
                if (isRunner(Files.readString(f).trim())) return true;
            }
        } catch (IOException | RuntimeException e) {
            // no runners directory (no job ever outlived a daemon here), or one we cannot read
        }
        return false;
    }

    /** A live process of ours that is a runner, not a stranger that got a dead runner's pid. */
    private static boolean isRunner(String pid) {
        if (!pid.matches("[1-9][0-9]{0,9}")) return false;
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
            return new String(cmdline, StandardCharsets.ISO_8859_1).contains("\0__runner\0");
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * connect's connection, or, when there is none and runners survive, the one it gives once
     * their daemon is up (at most {@link #WAIT_NANOS}); null when none comes.
     */
    static <T> T awaitDaemon(RuntimePaths paths, Supplier<T> connect) {
        T c = connect.get();
        long end = System.nanoTime() + WAIT_NANOS;
        while (c == null && System.nanoTime() < end && present(paths)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            c = connect.get();
        }
        return c;
    }
}
