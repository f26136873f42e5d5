package jobs.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process's standard descriptors are, read from /proc instead of through FFM: linking
 * the first downcall costs a client 40-90 ms, and only a terminal's size and raw mode need it.
 */
final class Descriptors {
    private Descriptors() {}

    /** For colours: only the names a terminal has; anything unknown counts as no terminal. */
    static boolean surelyTerminal(int fd) {
        String target = target(fd);
        return target != null && (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                || target.equals("/dev/console"));
    }

    /**
     * For skipping termios: a pipe, a socket, /dev/null or a file outside /dev. Anything else (a
     * device, an unreadable /proc) is left to isatty.
     */
    static boolean surelyNoTerminal(int fd) {
        String target = target(fd);
        if (target == null) return false;
        return target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")
                || target.equals("/dev/null") || (target.startsWith("/") && !target.startsWith("/dev/"));
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
