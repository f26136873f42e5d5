package jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The printed result: one row per figure and subject, median of the samples with min and max. */
final class Table {
    record Row(String figure, String subject, List<Double> samples, Double baseline, String target) {
        double median() {
            return Table.median(samples);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row; baseline is the median of the baseline row of the same run, or null. */
    Row add(String figure, String subject, List<Double> samples, Double baseline, String target) {
        Row r = new Row(figure, subject, List.copyOf(samples), baseline, target);
        rows.add(r);
        return r;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
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
        String fmt = "%-46s %-10s %10s %10s %10s %10s %7s  %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "figure", "subject", "median", "min", "max", "baseline", "ratio", "target"));
        String last = "";
        for (Row r : rows) {
            String fig = r.figure.equals(last) ? "" : r.figure;
            last = r.figure;
            double min = r.samples.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
            double max = r.samples.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
            String ratio = r.baseline == null || r.baseline == 0 ? "-" : num(r.median() / r.baseline);
            sb.append(String.format(Locale.ROOT, fmt, fig, r.subject, num(r.median()), num(min), num(max),
                    r.baseline == null ? "-" : num(r.baseline), ratio, r.target == null ? "" : r.target));
        }
        return sb.toString();
    }

    private static String num(double d) {
        if (Double.isNaN(d)) return "n/a";
        if (Math.abs(d) >= 100) return String.format(Locale.ROOT, "%.0f", d);
        if (Math.abs(d) >= 10) return String.format(Locale.ROOT, "%.1f", d);
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
