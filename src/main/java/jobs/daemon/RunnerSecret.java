package jobs.daemon;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The user's secret behind runners' adoption tokens (RunnerTokens.adoption). It lives in the
 * private runtime directory, mode 0600, made once by the first daemon and read by every later
 * one, so that a daemon started after a crash can tell its user's runners from impostors. A
 * reboot clears it with the directory, as it ends the runners.
 */
final class RunnerSecret {
    private static final int BYTES = 32;

    private RunnerSecret() {}

    static byte[] loadOrCreate(Path file) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] s = read(file);
                if (s != null) return s;
                Files.deleteIfExists(file); // torn or tampered with: no runner can trust it anyway
            }
            byte[] fresh = new byte[BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                writeNew(file, fresh);
            } catch (FileAlreadyExistsException raced) {
                continue;
            }
            return fresh;
        }
        throw new IOException("cannot make the runner secret " + file);
    }

    /** Writes it back if a cleaner removed it under a running daemon. */
    static void restore(Path file, byte[] secret) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            writeNew(file, secret);
        } catch (FileAlreadyExistsException raced) {
            // another daemon wrote one: that one's runners will use it
        }
    }

    /** Created 0600 from the start: never readable by others, not even for a moment. */
    private static void writeNew(Path file, byte[] secret) throws IOException {
        try (var ch = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(java.nio.ByteBuffer.wrap(secret));
        }
    }

    /** Null unless it is a regular file of the right size that nobody else can read. */
    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) return null;
        byte[] s = Files.readAllBytes(file);
        return s.length == BYTES ? s : null;
    }
}
