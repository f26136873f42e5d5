package jobs.job;

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

    @Test
    void otherModesAndLookAlikesDoNotCount() {
        feed("\u001b[?25h\u001b[1049h\u001b[?10490h ?1049h");
        assertFalse(screen.active());
    }
}
