package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the output of a job that printed 1, 2, 3 ... LAST, one per line, as read through a
 * daemon that may have died once on the way: every number in order, none twice, and at most
 * one stretch missing. Bytes lost in the middle of a line join its two ends into one line that
 * is no number of the sequence: that one line at the cut is forgiven. Other lines (a client's
 * notice) are not numbers and are skipped.
 */
final class NumberedLines {
    private NumberedLines() {}

    /** The bytes of the missing stretch (0 if none); fails the test if anything else is wrong. */
    static long missingBytes(String text, int last) {
        List<Long> n = new ArrayList<>();
        for (String line : text.replace("\r", "").split("\n")) {
            if (!line.isEmpty() && line.length() <= 9 && line.chars().allMatch(Character::isDigit)) {
                n.add(Long.parseLong(line));
            }
        }
        long expected = 1;
        long missing = 0;
        boolean cut = false;
        for (int i = 0; i < n.size(); i++) {
            long v = n.get(i);
            if (v == expected) {
                expected++;
                continue;
            }
            assertTrue(!cut, "a second gap or a repeat: " + v + " where " + expected + " was due");
            cut = true;
            // a joined line is followed by the line after the real resumption
            long resumed = i + 1 < n.size() && n.get(i + 1) != v + 1 ? n.get(i + 1) : v;
            if (resumed != v) i++;
            assertTrue(resumed > expected, "went back: " + resumed + " after " + (expected - 1));
            for (long k = expected; k < resumed; k++) missing += Long.toString(k).length() + 2;
            expected = resumed + 1;
        }
        assertEquals(last + 1, expected, "the last line");
        return missing;
    }
}
