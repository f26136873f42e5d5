package jobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AltScreenTest {
    private final AltScreen screen = new AltScreen();

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        screen.scan(b, 0, b.length);
    }

    @Test
    void enterAndLeaveTheAlternateScreen() {
        feed("hello\u001b[?1049h");
        assertTrue(screen.active());
        feed("text\u001b[?1049l$ ");
        assertFalse(screen.active());
    }

    @Test
    void olderModesAndSeveralParameters() {
        feed("\u001b[?47h");
        assertTrue(screen.active());
        feed("\u001b[?1047l");
        assertFalse(screen.active());
        feed("\u001b[?1;1049h");
        assertTrue(screen.active());
    }

    @Test
    void aSequenceSplitAcrossReads() {
        for (char c : "\u001b[?1049h".toCharArray()) feed(String.valueOf(c));
        assertTrue(screen.active());
    }

    /** The search for ESC reads eight bytes at a time: it must find one at any place among them. */
    @Test
    void anEscapeIsFoundWhereverItFallsInALongText() {
        for (int at = 0; at < 40; at++) {
            byte[] b = ("x".repeat(at) + "\u001b[?1049h" + "y".repeat(at % 9)).getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(at, AltScreen.nextEscape(b, 0, b.length));
            assertEquals(b.length, AltScreen.nextEscape(b, at + 1, b.length));
            AltScreen s = new AltScreen();
            s.scan(b, 0, b.length);
            assertTrue(s.active(), "ESC after " + at + " bytes");
            // the same bytes cut into two reads at every place
            for (int cut = 0; cut <= b.length; cut++) {
                AltScreen split = new AltScreen();
                split.scan(b, 0, cut);
                split.scan(b, cut, b.length - cut);
                assertTrue(split.active(), "cut at " + cut + " of a text with ESC after " + at);
            }
        }
        byte[] bytes = new byte[256];
        for (int i = 0; i < 256; i++) bytes[i] = (byte) i;
        assertEquals(0x1b, AltScreen.nextEscape(bytes, 0, bytes.length));
        assertEquals(bytes.length, AltScreen.nextEscape(bytes, 0x1c, bytes.length));
    }

    @Test
    void otherModesAndLookAlikesDoNotCount() {
        feed("\u001b[?25h\u001b[1049h\u001b[?10490h ?1049h");
        assertFalse(screen.active());
    }
}
