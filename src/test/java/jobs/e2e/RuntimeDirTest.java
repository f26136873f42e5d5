package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLI and the daemon both refuse a runtime dir that others can enter, in one line. */
@Timeout(120)
class RuntimeDirTest {
    @RegisterExtension
    final TestUser user = new TestUser();

    @Test
    void anOpenRuntimeDirIsRefusedAndNoDaemonStarts() throws Exception {
        Path dir = Files.createDirectory(user.runtime().resolve("job-security"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli cli = user.cli();
        for (String[] args : new String[][] {{"run", "-d", "true"}, {"list"}, {"daemon"}}) {
            Cli.Result r = cli.run(args);
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("jobs: runtime directory " + dir + " is open to other users"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("sock")));
    }
}
