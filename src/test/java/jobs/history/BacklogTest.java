package jobs.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BacklogTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keepsEverythingUnderTheLimit() {
        Backlog log = new Backlog(10);
        log.append(b("abc"), 0, 3);
        log.append(b("def"), 0, 3);
        assertEquals(0, log.dropped());
        assertArrayEquals(b("abcdef"), log.take());
        assertEquals(0, log.size());
    }

    @Test
    void aReplayPutBackGoesAheadOfNewerOutputWithinTheLimit() {
        Backlog log = new Backlog(8);
        log.append(b("0123456789"), 0, 10);
        long dropped = log.dropped();
        byte[] replay = log.take();
        log.append(b("ab"), 0, 2);
        log.putBack(replay, dropped);
        assertEquals(4, log.dropped());
        assertArrayEquals(b("456789ab"), log.take());

        Backlog empty = new Backlog(8);
        empty.append(b("xyz"), 0, 3);
        byte[] taken = empty.take();
        empty.putBack(taken, 0);
        assertEquals(0, empty.dropped());
        assertArrayEquals(b("xyz"), empty.take());
    }

    @Test
    void dropsTheOldestBytesFirstAndCountsThem() {
        Backlog log = new Backlog(5);
        log.append(b("abcd"), 0, 4);
        log.append(b("efg"), 0, 3);
        assertEquals(2, log.dropped());
        assertArrayEquals(b("cdefg"), log.take());
        assertEquals(0, log.dropped());
    }

    @Test
    void oneWriteLargerThanTheLimitKeepsItsTail() {
        Backlog log = new Backlog(4);
        log.append(b("xy"), 0, 2);
        log.append(b("0123456789"), 0, 10);
        assertEquals(8, log.dropped());
        assertArrayEquals(b("6789"), log.take());
    }

    @Test
    void wrapsAroundRepeatedly() {
        Backlog log = new Backlog(7);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String chunk = Integer.toString(i);
            all.append(chunk);
            log.append(b(chunk), 0, chunk.length());
        }
        assertArrayEquals(b(all.substring(all.length() - 7)), log.take());
    }

    @Test
    void holdsNothingUntilOutputComesAndLetsGoWhenEmptied() {
        Backlog log = new Backlog(1 << 20);
        assertEquals(0, log.footprint());
        log.append(b("hello"), 0, 5);
        assertTrue(log.footprint() > 0 && log.footprint() < 1 << 20, "footprint " + log.footprint());
        assertArrayEquals(b("hello"), log.take());
        assertEquals(0, log.footprint());
    }

    @Test
    void keepsTheOrderWhileItGrows() {
        Backlog log = new Backlog(100_000);
        StringBuilder all = new StringBuilder();
        for (int i = 0; all.length() < 50_000; i++) {
            String chunk = "<" + i + ">";
            all.append(chunk);
            log.append(b(chunk), 0, chunk.length());
        }
        assertEquals(0, log.dropped());
        assertArrayEquals(b(all.toString()), log.take());
    }

    @Test
    void growsNoFurtherThanTheLimit() {
        Backlog log = new Backlog(10_000);
        byte[] chunk = new byte[3000];
        for (int i = 0; i < 10; i++) log.append(chunk, 0, chunk.length);
        assertEquals(10_000, log.footprint());
        assertEquals(20_000, log.dropped());
        assertEquals(10_000, log.size());
    }
}
