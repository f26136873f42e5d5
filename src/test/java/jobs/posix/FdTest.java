package jobs.posix;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FdTest {

    @Test
    void bytesCrossASocketPairAndCloseGivesEof() throws Exception {
        int[] pair = Fd.socketPair();
        try (Fd a = Fd.adopt(pair[0]); Fd b = Fd.adopt(pair[1])) {
            byte[] got = new byte[16];
            AtomicInteger n = new AtomicInteger();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    n.set(b.read(got, 0, got.length));
                } catch (Exception e) {
                    n.set(-100);
                }
            });
            a.writeFully("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
            reader.join(10_000);
            assertEquals(5, n.get());
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(got, 5));
            a.shutdownOutput();
            assertEquals(Fd.EOF, b.read(got, 0, got.length));
        }
    }

    @Test
    void readTimesOutAndWakeReturnsIdle() throws Exception {
        int[] pair = Fd.socketPair();
        try (Fd a = Fd.adopt(pair[0]); Fd b = Fd.adopt(pair[1])) {
            byte[] buf = new byte[4];
            assertEquals(Fd.IDLE, b.read(buf, 0, 4, 50));
            b.wake(); // a wake with no parked reader is kept for the next wait
            assertEquals(Fd.IDLE, b.read(buf, 0, 4));
        }
    }

    @Test
    void closeWakesAParkedReader() throws Exception {
        int[] pair = Fd.socketPair();
        Fd a = Fd.adopt(pair[0]);
        Fd b = Fd.adopt(pair[1]);
        AtomicInteger result = new AtomicInteger(99);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                result.set(b.read(new byte[4], 0, 4));
            } catch (Exception e) {
                result.set(-100);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.WAITING);
        b.close();
        reader.join(5000);
        assertEquals(Fd.EOF, result.get());
        a.close();
    }

    /**
     * Many idle readers must not starve the scheduler: with carriers pinned, the fresh virtual
     * thread below would never run and the last reader would never see its byte.
     */
    @Test
    void twoHundredIdleReadersLeaveTheCarriersFree() throws Exception {
        List<Fd> ends = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        CountDownLatch allGotByte = new CountDownLatch(200);
        try {
            for (int i = 0; i < 200; i++) {
                int[] pair = Fd.socketPair();
                Fd w = Fd.adopt(pair[0]);
                Fd r = Fd.adopt(pair[1]);
                ends.add(w);
                ends.add(r);
                readers.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (r.read(new byte[1], 0, 1) == 1) allGotByte.countDown();
                    } catch (Exception ignored) {
                    }
                }));
            }
            AtomicBoolean ran = new AtomicBoolean();
            Thread.ofVirtual().start(() -> ran.set(true)).join(5000);
            assertEquals(true, ran.get());
            for (int i = 0; i < ends.size(); i += 2) ends.get(i).writeFully(new byte[] {1}, 0, 1);
            assertEquals(true, allGotByte.await(20, TimeUnit.SECONDS));
        } finally {
            ends.forEach(Fd::close);
        }
    }
}
