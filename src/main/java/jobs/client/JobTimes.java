package jobs.client;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Function;
import jobs.protocol.JobInfo;

/** The Started and Time cells of {@code jobs list}: short, and read at a glance. */
final class JobTimes {
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT);

    private JobTimes() {}

    /**
     * The local time zone's offset at an instant. Not ZoneId.systemDefault(): its rules provider
     * is looked up as a service, which opens every jar on the class path, a third of what a
     * {@code jobs list} cost. TimeZone reads the same tz database without that.
     */
    static ZoneOffset localOffset(Instant at) {
        return ZoneOffset.ofTotalSeconds(TimeZone.getDefault().getOffset(at.toEpochMilli()) / 1000);
    }

    /** The time of day for a job started today, else the date too; empty if unknown. */
    static String started(JobInfo j, Instant now, Function<Instant, ZoneOffset> offsets) {
        Instant at = parse(j.startedAt());
        if (at == null) return "";
        LocalDateTime local = LocalDateTime.ofInstant(at, offsets.apply(at));
        boolean today = local.toLocalDate().equals(LocalDate.ofInstant(now, offsets.apply(now)));
        return (today ? TODAY : EARLIER).format(local);
    }

    /** When a delayed job may start: the time of day (HH:MM) if today, else the date too. */
    static String clock(String instant, Instant now, Function<Instant, ZoneOffset> offsets) {
        Instant at = parse(instant);
        if (at == null) return "?";
        LocalDateTime local = LocalDateTime.ofInstant(at, offsets.apply(at));
        boolean today = local.toLocalDate().equals(LocalDate.ofInstant(now, offsets.apply(now)));
        return (today ? CLOCK : EARLIER).format(local);
    }

    /** How long it ran (ended jobs) or has run so far, e.g. {@code 3m12s}; empty if unknown. */
    static String duration(JobInfo j, Instant now) {
        Instant from = parse(j.startedAt());
        if (from == null) return "";
        Instant to = j.endedAt() != null ? parse(j.endedAt()) : now;
        if (to == null) return "";
        return format(Duration.between(from, to));
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m" + two(s % 60) + "s";
        if (s < 86_400) return s / 3600 + "h" + two(s % 3600 / 60) + "m";
        return s / 86_400 + "d" + two(s % 86_400 / 3600) + "h";
    }

    private static String two(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    private static Instant parse(String text) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
