package jobs.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the jobs' output history lives: {@code $XDG_STATE_HOME/job-security/} (default
 * {@code ~/.local/state/job-security/}). Output may hold secrets, so the directory gets the
 * runtime directory's rules: mode 0700, ours, closed to others, refused rather than repaired.
 */
public record StatePaths(Path dir) {

    public static StatePaths fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) return new StatePaths(Path.of(xdg, "job-security"));
        String home = env.get("HOME");
        Path base = home == null || home.isBlank() ? Path.of("/tmp", "job-security-state-" + RuntimePaths.currentUid())
                : Path.of(home, ".local", "state");
        return new StatePaths(base.resolve("job-security"));
    }

    /** Creates the directory (mode 0700) if needed and checks it; throws a message for people. */
    public StatePaths ensurePrivate() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile; the checks below still apply
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("log directory " + dir + " is not a directory");
        }
        int owner = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != RuntimePaths.currentUid()) {
            throw new IOException("log directory " + dir + " is owned by uid " + owner
                    + ", not by you (uid " + RuntimePaths.currentUid() + ")");
        }
        for (PosixFilePermission p : Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException("log directory " + dir + " is open to other users; run: chmod 700 " + dir);
            }
        }
        return this;
    }
}
