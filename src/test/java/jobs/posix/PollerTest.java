package jobs.posix;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PollerTest {
    private final Poller poller = Poller.get();

    /**
     * Timeline: a descriptor is registered, unregistered and closed; its number goes to a new
     * socket, whose reader parks; a thread of the old descriptor, which passed its "closed?"
     * check just before the close, now waits. It must return at once and leave the new reader's
     * wake alone: by number alone it took the reader's place, and a byte on the new socket then
     * woke the stale thread instead, leaving the reader parked for ever.
     */
    @Test
    void aWaitOnADroppedRegistrationCannotTakeTheWakeOfTheNumbersNextOwner() throws Exception {
        int[] first = Fd.socketPair();
        int number = first[0];
        Poller.Interest stale = poller.register(number);
        poller.unregister(number, stale);
        Fd.closeRaw(number);
        int[] second = reuse(number);
        Poller.Interest fresh = poller.register(number);
        try {
            AtomicInteger result = new AtomicInteger(-1);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    result.set(poller.await(fresh, number, false, -1) ? 1 : 0);
                } catch (Exception e) {
                    result.set(-100);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.getState() == Thread.State.WAITING);

            assertFalse(poller.await(stale, number, false, 10_000), "a dropped registration waits no more");

            try (Fd writer = Fd.adopt(second[1])) {
                writer.writeFully(new byte[] {'k'}, 0, 1);
            }
            reader.join(30_000);
            assertEquals(1, result.get(), "the new socket's reader saw its byte");
        } finally {
            poller.unregister(number, fresh);
            Fd.closeRaw(second[0]);
            Fd.closeRaw(first[1]);
        }
    }

    /** A socket pair whose first end has the given number: the lowest free one, just closed. */
    private static int[] reuse(int number) throws Exception {
        int[] pair = Fd.socketPair();
        if (pair[0] != number) {
            Fd.closeRaw(pair[0]);
            Fd.closeRaw(pair[1]);
            throw new AssertionError("descriptor " + number + " went to another thread first (got " + pair[0] + ")");
        }
        return pair;
    }
}
