package jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePathsTest {
    @TempDir
    Path tmp;

    @Test
    void choosesXdgThenRunUserThenTmp() {
        assertEquals(Path.of("/x/job-security"), RuntimePaths.chooseDir(Map.of("XDG_RUNTIME_DIR", "/x"), 1000));
        assertEquals(Path.of("/tmp/job-security-424242"), RuntimePaths.chooseDir(Map.of(), 424242));
    }

    @Test
    void createsAPrivateDirectory() throws IOException {
        RuntimePaths p = new RuntimePaths(tmp.resolve("job-security")).ensurePrivate();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.dir())));
    }

    @Test
    void refusesADirectoryOpenToOthers() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("job-security"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        IOException e = assertThrows(IOException.class, () -> new RuntimePaths(dir).ensurePrivate());
        assertTrue(e.getMessage().contains("open to other users"), e.getMessage());
    }

    @Test
    void refusesADirectoryOwnedBySomeoneElse() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("job-security"));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(dir, nobody);
        } catch (IOException notRoot) {
            org.junit.jupiter.api.Assumptions.abort("changing a directory's owner needs root");
        }
        IOException e = assertThrows(IOException.class, () -> new RuntimePaths(dir).ensurePrivate());
        assertTrue(e.getMessage().contains("is owned by uid"), e.getMessage());
    }
}
