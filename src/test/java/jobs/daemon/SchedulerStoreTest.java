package jobs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file of waiting jobs: what is written is read back, privately, and a bad file loses nothing else. */
class SchedulerStoreTest {
    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBack() throws IOException {
        SchedulerStore store = new SchedulerStore(dir.resolve("queues.json"));
        assertEquals(SchedulerStore.State.EMPTY, store.read());
        RunOrder order = new RunOrder(List.of("make", "-j", "4"), Map.of("SECRET", "x"), Path.of("/src"), 30, 100,
                "build", true);
        SchedulerStore.Saved waiting = new SchedulerStore.Saved(7, order, "gpu", List.of(3, 5),
                Instant.parse("2026-12-07T14:05:00Z"), null, null);
        SchedulerStore.Saved cancelled = new SchedulerStore.Saved(8, order, null, List.of(), null, "job 7 was cancelled",
                Instant.parse("2026-12-07T14:06:00Z"));
        SchedulerStore.State state = new SchedulerStore.State(Map.of("gpu", new Schedule.QueueSetting(2, true)),
                List.of(waiting, cancelled), Map.of(4, "gpu"));
        store.write(state);
        assertEquals(state, store.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertFalse(Files.exists(dir.resolve("queues.json.tmp")));
        store.clear();
        assertEquals(SchedulerStore.State.EMPTY, store.read());
    }

    @Test
    void anUnreadableFileReadsAsEmpty() throws IOException {
        SchedulerStore store = new SchedulerStore(dir.resolve("queues.json"));
        Files.writeString(store.file(), "{\"queues\":");
        assertEquals(SchedulerStore.State.EMPTY, store.read());
        store.write(SchedulerStore.State.EMPTY);
        assertTrue(Files.readString(store.file()).startsWith("{\"queues\":{}"));
    }
}
