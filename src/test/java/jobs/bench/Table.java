package jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The printed result: one row per figure and subject, median of the samples with min and max,
 * and for a row with targets one verdict per target; then how many targets were met.
 */
final class Table {
    /** note: what the target column says of a row that states a number without a target. */
    record Row(String figure, String subject, List<Double> samples, Double baseline, String note, List<Verdict> verdicts) {
        double median() {
            return Table.median(samples);
        }
    }

    private static final String FMT = "%-46s %-12s %9s %9s %9s %9s %7s  %-28s %s%n";

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row; baseline is the median of the baseline row of the same run, or null. */
    Row add(String figure, String subject, List<Double> samples, Double baseline, Verdict... verdicts) {
        return add(new Row(figure, subject, List.copyOf(samples), baseline, "", List.of(verdicts)));
    }

    /** A row whose number is stated for the record, with no target to meet. */
    Row addStated(String figure, String subject, List<Double> samples, Double baseline, String note) {
        return add(new Row(figure, subject, List.copyOf(samples), baseline, note, List.of()));
    }

    /** One row per subject, against the baseline subject's median; the verdicts go to the jobs row. */
    void bySubject(String figure, Map<String, List<Double>> data, String baseline, Verdict... jobsVerdicts) {
        Double base = data.containsKey(baseline) ? median(data.get(baseline)) : null;
        for (var e : data.entrySet()) {
            add(figure, e.getKey(), e.getValue(), base, e.getKey().equals("jobs") ? jobsVerdicts : new Verdict[0]);
        }
    }

    private Row add(Row r) {
        rows.add(r);
        return r;
    }

    static double median(List<Double> xs) {
        if (xs == null || xs.isEmpty()) return Double.NaN;
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double max(List<Double> xs) {
        return xs == null ? Double.NaN : xs.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    }

    /** The p-th percentile (0..100) by nearest rank. */
    static double percentile(List<Double> xs, double p) {
        if (xs.isEmpty()) return Double.NaN;
        List<Double> s = xs.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, FMT, "figure", "subject", "median", "min", "max", "baseline", "ratio", "verdict", "target"));
        String last = "";
        for (Row r : rows) {
            String fig = r.figure.equals(last) ? "" : r.figure;
            last = r.figure;
            double min = r.samples.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
            String ratio = r.baseline == null || r.baseline == 0 ? "-" : Verdict.num(r.median() / r.baseline);
            Verdict first = r.verdicts.isEmpty() ? null : r.verdicts.getFirst();
            sb.append(String.format(Locale.ROOT, FMT, fig, r.subject, Verdict.num(r.median()), Verdict.num(min),
                    Verdict.num(max(r.samples)), r.baseline == null ? "-" : Verdict.num(r.baseline), ratio,
                    first == null ? "" : first.column(), first == null ? r.note : first.target()));
            for (Verdict v : r.verdicts.subList(Math.min(1, r.verdicts.size()), r.verdicts.size())) {
                sb.append(String.format(Locale.ROOT, FMT, "", "", "", "", "", "", "", v.column(), v.target()));
            }
        }
        return sb.toString();
    }

    /** "N of M targets met", then each target not met and each one that could not be judged. */
    String summary() {
        List<String> notMet = new ArrayList<>();
        List<String> notJudged = new ArrayList<>();
        int all = 0;
        int met = 0;
        for (Row r : rows) {
            for (Verdict v : r.verdicts) {
                all++;
                if (v.met()) {
                    met++;
                    continue;
                }
                String line = "  " + r.figure + ", " + r.subject + ": " + v.target() + ": " + v.column();
                (v.outcome() == Verdict.Outcome.NOT_MET ? notMet : notJudged).add(line);
            }
        }
        StringBuilder sb = new StringBuilder(met + " of " + all + " targets met").append(System.lineSeparator());
        if (!notMet.isEmpty()) sb.append("not met:").append(System.lineSeparator());
        notMet.forEach(l -> sb.append(l).append(System.lineSeparator()));
        if (!notJudged.isEmpty()) sb.append("not judged in this run:").append(System.lineSeparator());
        notJudged.forEach(l -> sb.append(l).append(System.lineSeparator()));
        return sb.toString();
    }
}
