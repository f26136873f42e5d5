package jobs.history;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The disk log against a real full device and a real total cap. */
@Timeout(60)
class DiskLogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private static History snapshot(DiskLog d) throws Exception {
        return d.snapshotThen(new ReentrantLock(), () -> { });
    }

    private static byte[] readAll(History h) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[10_000];
        for (long at = h.from(); at < h.to(); ) {
            int n = h.read(at, buf, buf.length);
            out.write(buf, 0, n);
            at += n;
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int n, char c) {
        return String.valueOf(c).repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** /dev/full refuses every write with ENOSPC, as a full disk does. */
    @Test
    void aFullDiskDropsTheBytesAndMarksWhere() throws Exception {
        Path full = tmp.resolve("full.log");
        Files.createSymbolicLink(full, Path.of("/dev/full"));
        LogStore store = LogStore.open(tmp, 1 << 20, 1L << 30, null);
        DiskLog d = store.reopen(1, full);
        d.offer(bytes(5, 'a'), 0, 5);
        d.offer(bytes(7, 'b'), 0, 7);
        await().atMost(WAIT).until(() -> {
            try (History h = snapshot(d)) {
                return h.to() == 0 && h.marks().size() == 1 && h.marks().getFirst().bytes() == 12;
            }
        });
        try (History h = snapshot(d)) {
            assertEquals(new DiskLog.Mark(0, 12, "the disk refused it: No space left on device"), h.marks().getFirst());
        }
    }

    /**
     * Pieces of every size, small ones sharing a page and long ones on their own, with snapshots
     * taken while they stream: the file and each snapshot hold every byte in order, and the pages
     * go back to the pool once written.
     */
    @Test
    void streamingOutputKeepsItsOrderThroughRecycledPages() throws Exception {
        LogStore store = LogStore.open(tmp, 64L << 20, 1L << 30, null);
        DiskLog d = store.create(1);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(16);
        int[] sizes = {1, 7, 4000, Pages.SIZE - 3, Pages.SIZE, Pages.SIZE + 5, 100_000, 3};
        for (int i = 0; i < 400; i++) {
            byte[] b = new byte[sizes[i % sizes.length] + 2];
            random.nextBytes(b);
            d.offer(b, 1, b.length - 2);
            all.write(b, 1, b.length - 2);
            if (i % 50 == 0) {
                try (History h = snapshot(d)) {
                    assertArrayEquals(all.toByteArray(), readAll(h));
                }
            }
        }
        byte[] expected = all.toByteArray();
        await().atMost(WAIT).until(() -> Files.exists(d.file()) && Files.size(d.file()) == expected.length);
        assertArrayEquals(expected, Files.readAllBytes(d.file()));
        await().atMost(WAIT).until(() -> store.pages().free() > 0);
        assertTrue(store.pages().free() <= 4);
    }

    /**
     * Keystrokes' echoes, one byte each, wait for the writer's next round instead of waking it
     * each time: however fast they come, the writer is woken about once per round, and every
     * byte still reaches the file soon.
     */
    @Test
    void smallOutputIsWrittenInRoundsWithoutAWakeUpEach() throws Exception {
        LogStore store = LogStore.open(tmp, 1 << 20, 1L << 30, null);
        DiskLog d = store.create(1);
        await().atMost(WAIT).until(() -> Files.exists(d.file()));
        long start = System.nanoTime();
        for (int i = 0; i < 500; i++) d.offer(bytes(1, (char) ('a' + i % 26)), 0, 1);
        long rounds = (System.nanoTime() - start) / (LogStore.SOON_MILLIS * 1_000_000) + 1;
        await().atMost(WAIT).until(() -> Files.size(d.file()) == 500);
        assertTrue(store.soonWakeups() <= rounds, store.soonWakeups() + " wake-ups for " + rounds + " rounds");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) expected.append((char) ('a' + i % 26));
        assertEquals(expected.toString(), Files.readString(d.file()));
        // more than a little is written at once, even while a round is pending
        d.offer(bytes(1, '!'), 0, 1);
        d.offer(bytes((int) DiskLog.WRITE_AT_ONCE, 'x'), 0, (int) DiskLog.WRITE_AT_ONCE);
        await().atMost(WAIT).until(() -> Files.size(d.file()) == 501 + DiskLog.WRITE_AT_ONCE);
    }

    @Test
    void theTotalCapRemovesTheLogsOfFinishedJobsFirst() throws Exception {
        LogStore store = LogStore.open(tmp, 1000, 1500, null);
        DiskLog first = store.create(1);
        DiskLog live = store.create(2);
        first.offer(bytes(900, 'x'), 0, 900);
        await().atMost(WAIT).until(() -> Files.exists(first.file()) && Files.size(first.file()) == 900);
        store.finished(first);
        live.offer(bytes(900, 'y'), 0, 900);
        await().atMost(WAIT).until(() -> !Files.exists(first.file()));
        await().atMost(WAIT).until(() -> Files.size(live.file()) == 900);
        try (History h = snapshot(first)) {
            assertEquals(LogStore.REMOVED, h.unavailable());
        }
        // a live job's log is never removed, however far over the total it goes
        live.offer(bytes(900, 'z'), 0, 900);
        await().atMost(WAIT).until(() -> Files.readString(live.file()).endsWith("z".repeat(900)));
        assertTrue(Files.exists(live.file()));
        assertFalse(Files.exists(tmp.resolve(first.file().getFileName() + ".marks")));
    }

    @Test
    void aReopenedLogGoesOnAtItsEndWithItsCut() throws Exception {
        LogStore store = LogStore.open(tmp, 1000, 1L << 30, null);
        DiskLog d = store.create(1);
        d.offer(bytes(800, 'a'), 0, 800);
        d.offer(bytes(800, 'b'), 0, 800);
        await().atMost(WAIT).until(() -> {
            try (History h = snapshot(d)) {
                return h.to() == 1600;
            }
        });
        d.close();
        DiskLog again = LogStore.open(tmp, 1000, 1L << 30, null).reopen(1, d.file());
        again.offer(bytes(10, 'c'), 0, 10);
        await().atMost(WAIT).until(() -> Files.readString(d.file()).endsWith("c".repeat(10)));
        try (History h = snapshot(again)) {
            assertEquals(1610, h.to());
            assertEquals(800, h.droppedBefore());
            assertEquals("b".repeat(800) + "c".repeat(10), Files.readString(d.file()));
        }
    }
}
