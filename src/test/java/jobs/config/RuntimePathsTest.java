package jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime directory holds the only door to a user's jobs: one that another user owns or may
 * write into (or even look into) is refused with a message saying how to fix it, never repaired.
 */
class RuntimePathsTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedPrivate() throws IOException {
        RuntimePaths paths = new RuntimePaths(tmp.resolve("a/job-security"));
        paths.ensurePrivate();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.dir())));
        paths.ensurePrivate(); // and found good the second time
    }

    @Test
    void groupOrWorldAccessIsRefused() throws IOException {
        for (String mode : new String[] {"rwxrwx---", "rwx---rwx", "rwxr-xr-x", "rwx-----x"}) {
            Path dir = Files.createDirectory(tmp.resolve("d" + mode.hashCode()));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> new RuntimePaths(dir).ensurePrivate(), mode);
            assertTrue(e.getMessage().contains("open to other users") && e.getMessage().contains("chmod 700"),
                    e.getMessage());
        }
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("theirs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
        IOException e = assertThrows(IOException.class, () -> new RuntimePaths(dir).ensurePrivate());
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        IOException e = assertThrows(IOException.class, () -> new RuntimePaths(link).ensurePrivate());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }
}
