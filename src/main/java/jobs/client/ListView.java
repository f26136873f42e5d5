package jobs.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import jobs.posix.Signals;
import jobs.protocol.JobInfo;
import jobs.protocol.JsonText;

/**
 * {@code jobs list}: the seed's rounded table (header centred, cells right-aligned), or JSON for
 * scripts. Colours are ANSI SGR codes; widths are computed on the plain text.
 */
public final class ListView {
    private static final String RESET = "\033[0m";
    private static final String HEADER = "\033[1;37m";
    private static final String BOLD = "\033[1m";
    private static final String BRIGHT_GREEN_BOLD = "\033[1;92m";
    private static final String BRIGHT_YELLOW_BOLD = "\033[1;93m";
    private static final String GREEN = "\033[32m";
    private static final String RED_BOLD = "\033[1;31m";

    private ListView() {}

    private record Cell(String text, String colour) {
        static Cell plain(String text) { return new Cell(text, null); }
    }

    /** The table at any width, times as of now in the local time zone. */
    public static String table(List<JobInfo> jobs, boolean colour) {
        return table(jobs, colour, 0, Instant.now());
    }

    /** The table at a terminal's width, times in the local time zone. */
    public static String table(List<JobInfo> jobs, boolean colour, int maxWidth, Instant now) {
        return table(jobs, colour, maxWidth, now, JobTimes::localOffset);
    }

    /** The table with times in {@code zone}. */
    public static String table(List<JobInfo> jobs, boolean colour, int maxWidth, Instant now, ZoneId zone) {
        return table(jobs, colour, maxWidth, now, zone.getRules()::getOffset);
    }

    /**
     * The table; with a positive {@code maxWidth} (the terminal's), commands are cut with '…'
     * so that each row fits. A Name column appears when some job has a name.
     */
    private static String table(List<JobInfo> jobs, boolean colour, int maxWidth, Instant now,
                                Function<Instant, ZoneOffset> offsets) {
        if (jobs.isEmpty()) return "No jobs found\n";
        boolean names = jobs.stream().anyMatch(j -> j.name() != null);
        List<List<Cell>> rows = new ArrayList<>();
        List<Cell> header = new ArrayList<>(List.of(new Cell("ID", HEADER), new Cell("Command", HEADER),
                new Cell("State", HEADER), new Cell("Fg/Bg", HEADER), new Cell("PID", HEADER),
                new Cell("Started", HEADER), new Cell("Time", HEADER)));
        if (names) header.add(1, new Cell("Name", HEADER));
        rows.add(header);
        for (JobInfo j : jobs) {
            List<Cell> row = new ArrayList<>(List.of(Cell.plain(Integer.toString(j.id())),
                    Cell.plain(commandText(j.command())), state(j, now, offsets), fgBg(j),
                    Cell.plain(notStarted(j) ? "" : Long.toString(j.pid())),
                    Cell.plain(JobTimes.started(j, now, offsets)), Cell.plain(JobTimes.duration(j, now))));
            if (names) row.add(1, Cell.plain(j.name() == null ? "" : j.name()));
            rows.add(row);
        }
        int columns = header.size();
        int commandColumn = names ? 2 : 1;
        int[] width = new int[columns];
        for (List<Cell> row : rows) {
            for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], length(row.get(c).text()));
        }
        if (maxWidth > 0) fit(rows, width, commandColumn, maxWidth);
        StringBuilder sb = new StringBuilder();
        rule(sb, width, '╭', '┬', '╮');
        for (int r = 0; r < rows.size(); r++) {
            sb.append('│');
            for (int c = 0; c < columns; c++) {
                Cell cell = rows.get(r).get(c);
                int pad = width[c] - length(cell.text());
                int left = r == 0 ? pad / 2 : pad;
                sb.append(' ').append(" ".repeat(left));
                if (colour && cell.colour() != null) sb.append(cell.colour()).append(cell.text()).append(RESET);
                else sb.append(cell.text());
                sb.append(" ".repeat(pad - left)).append(" │");
            }
            sb.append('\n');
            if (r == 0) rule(sb, width, '├', '┼', '┤');
        }
        rule(sb, width, '╰', '┴', '╯');
        return sb.toString();
    }

    /** Narrows the command column (never below its header) until a row fits in maxWidth. */
    private static void fit(List<List<Cell>> rows, int[] width, int column, int maxWidth) {
        int total = 1;
        for (int w : width) total += w + 3;
        int over = total - maxWidth;
        if (over <= 0) return;
        int narrower = Math.max("Command".length(), width[column] - over);
        if (narrower >= width[column]) return;
        width[column] = narrower;
        for (int r = 1; r < rows.size(); r++) {
            Cell cell = rows.get(r).get(column);
            if (length(cell.text()) > narrower) rows.get(r).set(column, Cell.plain(cut(cell.text(), narrower)));
        }
    }

    private static String cut(String text, int width) {
        int end = text.offsetByCodePoints(0, width - 1);
        return text.substring(0, end) + "…";
    }

    /**
     * id, pid, command (array), state, attached, exit_code, signal, started_at, lost, name,
     * ended_at, log, queue, after (ids still waited for), start_at, cancelled; nulls kept.
     */
    public static String json(List<JobInfo> jobs) {
        JsonArray array = new JsonArray();
        for (JobInfo j : jobs) {
            JsonObject o = new JsonObject();
            o.addProperty("id", j.id());
            o.addProperty("pid", j.pid());
            JsonArray command = new JsonArray();
            j.command().forEach(command::add);
            o.add("command", command);
            o.addProperty("state", j.state().name().toLowerCase(Locale.ROOT));
            o.addProperty("attached", j.attached());
            o.add("exit_code", j.exitCode() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.exitCode()));
            o.add("signal", j.signal() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.signal()));
            o.add("started_at", j.startedAt() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.startedAt()));
            o.add("lost", j.lost() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.lost()));
            o.add("name", j.name() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.name()));
            o.add("ended_at", j.endedAt() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.endedAt()));
            o.add("log", j.log() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.log()));
            o.add("queue", j.queue() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.queue()));
            JsonArray after = new JsonArray();
            if (j.after() != null) j.after().forEach(after::add);
            o.add("after", after);
            o.add("start_at", j.startAt() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.startAt()));
            o.add("cancelled", j.cancelled() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.cancelled()));
            array.add(o);
        }
        return JsonText.write(array) + "\n";
    }

    private static Cell state(JobInfo j, Instant now, Function<Instant, ZoneOffset> offsets) {
        return switch (j.state()) {
            case RUNNING -> new Cell("Running", BRIGHT_GREEN_BOLD);
            case STOPPED -> new Cell("Stopped", BRIGHT_YELLOW_BOLD);
            case QUEUED -> Cell.plain(j.queue() == null ? "Queued" : "Queued in " + j.queue());
            case WAITING -> Cell.plain("Waiting for " + String.join(", ",
                    (j.after() == null ? List.<Integer>of() : j.after()).stream().map(String::valueOf).toList()));
            case DELAYED -> Cell.plain("Delayed until " + JobTimes.clock(j.startAt(), now, offsets));
            case CANCELLED -> new Cell("Cancelled - " + j.cancelled(), RED_BOLD);
            case FINISHED -> {
                if (j.lost() != null) yield new Cell("Lost - " + j.lost(), RED_BOLD);
                if (j.signal() != null) yield new Cell("Killed - " + Signals.name(j.signal()), RED_BOLD);
                int code = j.exitCode() == null ? 0 : j.exitCode();
                yield code == 0 ? new Cell("Finished", GREEN) : new Cell("Finished with error - " + code, RED_BOLD);
            }
        };
    }

    /** A job that waits to start, or never will: it has no pid to show. */
    private static boolean notStarted(JobInfo j) {
        return j.state() != null && switch (j.state()) {
            case QUEUED, WAITING, DELAYED, CANCELLED -> true;
            case RUNNING, STOPPED, FINISHED -> false;
        };
    }

    private static Cell fgBg(JobInfo j) {
        if (j.state() != JobInfo.JobStateName.RUNNING) return Cell.plain("");
        return j.attached() ? new Cell("Foreground", BOLD) : Cell.plain("Background");
    }

    /** Words joined by spaces; control characters escaped so that one job stays one row. */
    static String commandText(List<String> command) {
        StringBuilder sb = new StringBuilder();
        String joined = String.join(" ", command);
        for (int i = 0; i < joined.length(); i++) {
            char ch = joined.charAt(i);
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) sb.append(String.format("\\x%02x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.toString();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static void rule(StringBuilder sb, int[] width, char left, char mid, char right) {
        sb.append(left);
        for (int c = 0; c < width.length; c++) {
            sb.append("─".repeat(width[c] + 2)).append(c == width.length - 1 ? right : mid);
        }
        sb.append('\n');
    }

    /**
     * For jobs whose runners survived a crash but have not reached the new daemon yet (one that
     * is slow to come back, or stopped): they exist, and saying nothing would look like a loss.
     */
    public static String notBackLine(List<Integer> ids) {
        if (ids.size() == 1) {
            return "jobs: job " + ids.getFirst() + " has not come back yet since the daemon restarted"
                    + " (its runner is alive); list again in a moment";
        }
        return "jobs: jobs " + String.join(", ", ids.stream().map(String::valueOf).toList())
                + " have not come back yet since the daemon restarted (their runners are alive); list again in a moment";
    }
}
