package jobs.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DoubleTapTest {
    private static final int KEY = 0x1c;
    private final AtomicInteger detaches = new AtomicInteger();
    private final DoubleTap tap = new DoubleTap(KEY, detaches::incrementAndGet);

    @Test
    void otherKeysPassUnchanged() {
        byte[] b = {'a', 'b', 0x03, 0x1a};
        DoubleTap.Filtered f = tap.filter(b, 4);
        assertEquals(new DoubleTap.Filtered(4, false, null), f);
        assertArrayEquals(new byte[] {'a', 'b', 0x03, 0x1a}, b);
    }

    @Test
    void twoPressesInOneReadSendOneKey() {
        byte[] b = {'a', KEY, KEY, 'b'};
        DoubleTap.Filtered f = tap.filter(b, 4);
        assertEquals(3, f.forward());
        assertFalse(f.detach());
        assertArrayEquals(new byte[] {'a', KEY, 'b'}, Arrays.copyOf(b, 3));
    }

    @Test
    void twoPressesInTwoReadsSendOneKey() {
        byte[] b = {'a', KEY};
        assertEquals(1, tap.filter(b, 2).forward());
        byte[] c = {KEY};
        DoubleTap.Filtered f = tap.filter(c, 1);
        assertEquals(new DoubleTap.Filtered(1, false, null), f);
        assertEquals(KEY, c[0]);
        assertEquals(0, detaches.get());
    }

    @Test
    void aPressFollowedByAnotherKeyDetachesAndLeavesTheRestForTheShell() {
        byte[] b = {'a', KEY, 'l', 's'};
        DoubleTap.Filtered f = tap.filter(b, 4);
        assertEquals(1, f.forward());
        assertTrue(f.detach());
        assertArrayEquals(new byte[] {'l', 's'}, f.rest());
    }

    @Test
    void aLonePressDetachesOnceTheWindowHasPassed() {
        tap.filter(new byte[] {KEY}, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> detaches.get() == 1);
        DoubleTap.Filtered late = tap.filter(new byte[] {'x'}, 1);
        assertTrue(late.detach());
        assertArrayEquals(new byte[] {'x'}, late.rest());
        assertEquals(1, detaches.get());
    }
}
