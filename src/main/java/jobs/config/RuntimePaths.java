package jobs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where a user's daemon keeps its socket, lock and log. The directory is private to the user:
 * the socket is the only door to their jobs, so a directory that another user owns or can
 * write into is refused rather than repaired.
 */
public record RuntimePaths(Path dir) {
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    public static RuntimePaths fromEnvironment(Map<String, String> env) {
        return new RuntimePaths(chooseDir(env, currentUid()));
    }

    public static RuntimePaths fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Path chooseDir(Map<String, String> env, int uid) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "job-security");
        Path perUser = Path.of("/run/user", Integer.toString(uid));
        if (Files.isDirectory(perUser)) return perUser.resolve("job-security");
        return Path.of("/tmp", "job-security-" + uid);
    }

    public Path socket() { return dir.resolve("sock"); }
    public Path lock() { return dir.resolve("lock"); }
    public Path log() { return dir.resolve("daemon.log"); }
    /** The user's secret from which runners' adoption tokens derive (mode 0600, kept across daemons). */
    public Path secret() { return dir.resolve("secret"); }
    /** One file per live job, named by its id, holding its runner's pid: ids a new daemon must not reuse. */
    public Path runners() { return dir.resolve("runners"); }
    /** Held by the one runner that starts a daemon for all of them after a crash. */
    public Path startLock() { return dir.resolve("start.lock"); }
    /** The running daemon's build ({@code JvmCommand.BUILD}); absent when it does not know its build. */
    public Path build() { return dir.resolve("build"); }

    /**
     * Creates the directory (mode 0700) if needed, then checks that it is ours and closed to
     * others. Throws with a message meant for people.
     */
    public RuntimePaths ensurePrivate() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another client created it first; the checks below still apply
            }
        }
        checkPrivate();
        if (socket().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException("socket path " + socket() + " is longer than 107 bytes");
        }
        return this;
    }

    /** Fails when the directory is not a private directory of the current user. */
    public void checkPrivate() throws IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("runtime directory " + dir + " is not a directory");
        }
        int owner = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != currentUid()) {
            throw new IOException("runtime directory " + dir + " is owned by uid " + owner
                    + ", not by you (uid " + currentUid() + ")");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException("runtime directory " + dir + " is open to other users (mode "
                        + PosixFilePermissions.toString(perms) + "); run: chmod 700 " + dir);
            }
        }
    }

    /** The real uid, read without native code so that cheap commands stay cheap. */
    public static int currentUid() {
        try {
            return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self", e);
        }
    }
}
