package jobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
