package jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path tmp;

    @Test
    void warmRunnersDefaultToOne() {
        assertEquals(1, Settings.load(Map.of("XDG_CONFIG_HOME", tmp.toString())).warmRunners());
    }

    @Test
    void zeroWarmRunnersTurnsThePoolOff() throws IOException {
        assertEquals(0, withUserFile("warm.runners=0\n").warmRunners());
        assertEquals(3, withUserFile("warm.runners = 3\n").warmRunners());
    }

    @Test
    void nonsenseFallsBackToTheDefault() throws IOException {
        for (String v : new String[] {"-1", "many", "1000000", ""}) {
            assertEquals(1, withUserFile("warm.runners=" + v + "\n").warmRunners(), v);
        }
    }

    @Test
    void adoptionWaitsDefaultToWhatALoadedMachineNeedsAndCanBeShortened() throws IOException {
        assertEquals(new AdoptionWaits(10_000, 45_000, 10_000),
                Settings.load(Map.of("XDG_CONFIG_HOME", tmp.toString())).adoption());
        assertEquals(new AdoptionWaits(500, 2_000, 45_000),
                withUserFile("adopt.settle.millis=500\nadopt.client.wait.millis=2000\nadopt.client.hold.millis=45000\n")
                        .adoption());
        assertEquals(AdoptionWaits.DEFAULTS, withUserFile("adopt.settle.millis=0\nadopt.client.wait.millis=soon\n").adoption());
    }

    private Settings withUserFile(String text) throws IOException {
        Files.createDirectories(tmp.resolve("jobs"));
        Files.writeString(tmp.resolve("jobs/jobs.properties"), text);
        return Settings.load(Map.of("XDG_CONFIG_HOME", tmp.toString()));
    }
}
