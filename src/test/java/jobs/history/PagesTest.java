package jobs.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PagesTest {
    @Test
    void aPageGivenBackIsTakenAgain() {
        Pages pages = new Pages(2);
        byte[] p = pages.take();
        assertEquals(Pages.SIZE, p.length);
        pages.give(p);
        assertSame(p, pages.take());
        assertNotSame(p, pages.take());
    }

    @Test
    void onlyAFewFreePagesAreKept() {
        Pages pages = new Pages(2);
        for (int i = 0; i < 5; i++) pages.give(new byte[Pages.SIZE]);
        assertEquals(2, pages.free());
    }

    @Test
    void anArrayOfAnotherSizeIsNotKept() {
        Pages pages = new Pages(2);
        pages.give(new byte[Pages.SIZE + 1]);
        assertEquals(0, pages.free());
    }
}
