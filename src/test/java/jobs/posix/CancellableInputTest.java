package jobs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CancellableInputTest {

    @Test
    void readsWhatArrivesThenCancelEndsABlockedRead() throws Exception {
        int[] pair = Fd.socketPair();
        try (Fd writer = Fd.adopt(pair[1]); CancellableInput in = CancellableInput.of(pair[0])) {
            AtomicInteger first = new AtomicInteger(99);
            AtomicInteger second = new AtomicInteger(99);
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    byte[] buf = new byte[8];
                    first.set(in.read(buf, 0, buf.length));
                    second.set(in.read(buf, 0, buf.length));
                } catch (Exception e) {
                    second.set(-100);
                }
            });
            writer.writeFully("ab".getBytes(), 0, 2);
            org.awaitility.Awaitility.await().until(() -> first.get() == 2);
            in.cancel();
            reader.join(10_000);
            assertFalse(reader.isAlive());
            assertEquals(-1, second.get());
        } finally {
            Fd.closeRaw(pair[0]);
        }
    }

    /** Keys typed after a session ended are the shell's: a cancel leaves them unread. */
    @Test
    void cancelWinsOverInputReadyAtTheSameTime() throws Exception {
        int[] pair = Fd.socketPair();
        try (Fd writer = Fd.adopt(pair[1]); Fd raw = Fd.adopt(pair[0])) {
            writer.writeFully(new byte[] {'x'}, 0, 1);
            try (CancellableInput in = CancellableInput.of(pair[0])) {
                in.cancel();
                assertEquals(-1, in.read(new byte[4], 0, 4));
            }
            assertEquals(1, raw.read(new byte[4], 0, 4, 5000));
        }
    }
}
