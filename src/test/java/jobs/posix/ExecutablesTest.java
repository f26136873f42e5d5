package jobs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {
    @TempDir
    Path tmp;

    private Path file(String name, String perms) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void findsOnPath() {
        assertEquals(new Lookup.Found(Path.of("/bin/sh")), Executables.resolve("sh", "/nonexistent:/bin", tmp));
    }

    @Test
    void unknownNameIsNotFound() {
        assertEquals(new Lookup.NotFound(), Executables.resolve("no-such-command-xyz", "/usr/bin:/bin", tmp));
        assertEquals(new Lookup.NotFound(), Executables.resolve("", "/usr/bin:/bin", tmp));
    }

    @Test
    void fileWithoutExecuteBitIsNotExecutable() throws IOException {
        Path p = file("bin/tool", "rw-r--r--");
        assertEquals(new Lookup.NotExecutable(p), Executables.resolve("tool", tmp.resolve("bin").toString(), tmp));
    }

    @Test
    void laterExecutableWinsOverEarlierRefusal() throws IOException {
        file("a/tool", "rw-r--r--");
        Path good = file("b/tool", "rwxr-xr-x");
        assertEquals(new Lookup.Found(good), Executables.resolve("tool", tmp.resolve("a") + ":" + tmp.resolve("b"), tmp));
    }

    @Test
    void directoryIsNotExecutable() throws IOException {
        Files.createDirectories(tmp.resolve("bin/tool"));
        assertEquals(new Lookup.NotExecutable(tmp.resolve("bin/tool")),
                Executables.resolve("tool", tmp.resolve("bin").toString(), tmp));
        assertEquals(new Lookup.NotExecutable(tmp.resolve("./bin")), Executables.resolve("./bin", "/bin", tmp));
    }

    @Test
    void nameWithSlashIsRelativeToCwdAndSkipsPath() throws IOException {
        Path p = file("sub/run.sh", "rwxr-xr-x");
        assertEquals(new Lookup.Found(tmp.resolve("./sub/run.sh")), Executables.resolve("./sub/run.sh", "/bin", tmp));
        assertEquals(new Lookup.Found(p), Executables.resolve("sub/run.sh", "/bin", tmp));
        assertEquals(new Lookup.NotFound(), Executables.resolve("sub/missing", "/bin", tmp));
        assertEquals(new Lookup.Found(Path.of("/bin/sh")), Executables.resolve("/bin/sh", "", tmp));
    }

    @Test
    void emptyPathEntryMeansCwd() throws IOException {
        Path p = file("tool", "rwxr-xr-x");
        assertEquals(new Lookup.Found(p), Executables.resolve("tool", "/nonexistent:", tmp));
        assertEquals(new Lookup.NotFound(), Executables.resolve("tool", "/nonexistent", tmp));
    }

    @Test
    void missingPathUsesTheDefault() {
        assertEquals(Lookup.Found.class, Executables.resolve("sh", null, tmp).getClass());
    }
}
