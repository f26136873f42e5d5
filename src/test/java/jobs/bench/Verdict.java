package jobs.bench;

import java.util.Locale;

/**
 * A target in the words of its issue, and what this run's numbers say about it: worked out from
 * the numbers, never written by hand. A comparison with a peer that is not installed, or with a
 * figure that was not measured in this run, is not judged at all rather than guessed.
 */
record Verdict(String target, Outcome outcome, String reason) {
    enum Outcome {
        MET("met"), NOT_MET("NOT met"), NO_PEER("no peer"), NOT_JUDGED("n/a");

        final String word;

        Outcome(String word) {
            this.word = word;
        }
    }

    static Verdict atMost(String target, double value, double limit) {
        if (Double.isNaN(value) || Double.isNaN(limit)) return notJudged(target, "no number");
        return new Verdict(target, value <= limit ? Outcome.MET : Outcome.NOT_MET,
                exact(value) + (value <= limit ? " <= " : " > ") + exact(limit));
    }

    static Verdict below(String target, double value, double limit) {
        if (Double.isNaN(value) || Double.isNaN(limit)) return notJudged(target, "no number");
        return new Verdict(target, value < limit ? Outcome.MET : Outcome.NOT_MET,
                exact(value) + (value < limit ? " < " : " >= ") + exact(limit));
    }

    static Verdict noPeer(String target, String peer) {
        return new Verdict(target, Outcome.NO_PEER, peer + " not installed");
    }

    static Verdict notJudged(String target, String why) {
        return new Verdict(target, Outcome.NOT_JUDGED, why);
    }

    boolean met() {
        return outcome == Outcome.MET;
    }

    /** The verdict column: the outcome, then the numbers it came from. */
    String column() {
        return outcome.word + " (" + reason + ")";
    }

    /** Three digits below 1: echo latencies of tens of microseconds stay apart. */
    private static String exact(double d) {
        return Math.abs(d) < 1 && d != 0 ? String.format(Locale.ROOT, "%.3f", d) : num(d);
    }

    static String num(double d) {
        if (Double.isNaN(d)) return "n/a";
        if (Math.abs(d) >= 100) return String.format(Locale.ROOT, "%.0f", d);
        if (Math.abs(d) >= 10) return String.format(Locale.ROOT, "%.1f", d);
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
