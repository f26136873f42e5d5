package jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** config/jvm.flags is the one place of the JVM flags: each JVM of ours gets its own section's. */
class JvmFlagsTest {
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    @Test
    void everyJvmGetsTheCommonFlagsAndOnlyItsOwn() {
        assertEquals(List.of(NATIVE_ACCESS, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), JvmFlags.client());
        assertEquals(List.of(NATIVE_ACCESS, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms8m", "-Xss512k",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=0", "-XX:ServiceThreadCleanupInterval=60000",
                "-XX:ArchiveRelocationMode=0"),
                JvmFlags.daemon());
        List<String> runner = JvmFlags.runner();
        assertEquals(NATIVE_ACCESS, runner.getFirst());
        assertTrue(runner.containsAll(List.of("-Xint", "-Xmx16m", "-XX:ArchiveRelocationMode=0", "-Xlog:disable",
                "-XX:-PrintWarnings")), runner.toString());
        assertFalse(runner.contains("-XX:TieredStopAtLevel=1"), runner.toString());
        assertTrue(runner.stream().noneMatch(f -> f.startsWith("#") || f.startsWith("[") || f.isBlank()), runner.toString());
    }

    @Test
    void theDaemonAndRunnerCommandLinesCarryThem() {
        List<String> daemon = JvmCommand.daemon(List.of());
        assertTrue(daemon.containsAll(JvmFlags.daemon()), daemon.toString());
        assertEquals(List.of(JvmCommand.MAIN, "daemon"), daemon.subList(daemon.size() - 2, daemon.size()));
        List<String> runner = JvmCommand.runner(List.of("1"));
        assertTrue(runner.containsAll(JvmFlags.runner()), runner.toString());
        assertEquals(List.of(JvmCommand.MAIN, "__runner", "1"), runner.subList(runner.size() - 3, runner.size()));
    }
}
