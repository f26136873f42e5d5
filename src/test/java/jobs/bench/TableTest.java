package jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's verdicts come from its numbers, and its summary counts every target. */
class TableTest {
    @Test
    void aLimitIsMetOnItsEdgeAndMissedPastIt() {
        assertEquals(Verdict.Outcome.MET, Verdict.atMost("≤ 2.0x", 2.0, 2.0).outcome());
        assertEquals(Verdict.Outcome.NOT_MET, Verdict.atMost("≤ 2.0x", 2.01, 2.0).outcome());
        assertEquals(Verdict.Outcome.NOT_MET, Verdict.below("< 1000 ms", 1000, 1000).outcome());
        assertEquals(Verdict.Outcome.MET, Verdict.below("< 1000 ms", 999, 1000).outcome());
        assertEquals("NOT met (0.180 > 0.030)", Verdict.atMost("added ≤ dtach's", 0.18, 0.03).column());
    }

    @Test
    void aMissingNumberIsNotJudgedRatherThanMet() {
        assertEquals(Verdict.Outcome.NOT_JUDGED, Verdict.atMost("0 ticks", Double.NaN, 0).outcome());
        assertEquals(Verdict.Outcome.NOT_JUDGED, Verdict.atMost("≤ 1.5x", 1.0, Double.NaN).outcome());
    }

    @Test
    void theSummaryCountsEveryTargetAndNamesTheOnesNotMet() {
        Table t = new Table();
        t.add("1 throughput (s)", "jobs", List.of(1.5, 1.6), 1.3,
                Verdict.noPeer("time ≤ dtach's", "dtach"), Verdict.atMost("≤ 1.2x the plain pty", 1.6 / 1.3, 1.2));
        t.add("3 start to exit (ms)", "list", List.of(40.0), 30.0, Verdict.atMost("≤ 1.5x the java main", 40.0 / 30, 1.5));
        t.addStated("4 the daemon's own RSS (MB)", "jobs", List.of(100.0), null, "stated, no target");
        String summary = t.summary();
        assertTrue(summary.startsWith("1 of 3 targets met"), summary);
        assertTrue(summary.contains("not met:\n  1 throughput (s), jobs: ≤ 1.2x the plain pty: NOT met (1.23 > 1.20)"), summary);
        assertTrue(summary.contains("not judged in this run:\n  1 throughput (s), jobs: time ≤ dtach's: no peer (dtach not installed)"), summary);
        assertFalse(summary.contains("RSS"), summary);
        String table = t.render();
        assertTrue(table.contains("no peer (dtach not installed)"), table);
        assertTrue(table.contains("met (1.33 <= 1.50)"), table);
        assertTrue(table.contains("stated, no target"), table);
    }
}
