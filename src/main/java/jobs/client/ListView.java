package jobs.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    public static String table(List<JobInfo> jobs, boolean colour) {
        if (jobs.isEmpty()) return "No jobs found\n";
        List<List<Cell>> rows = new ArrayList<>();
        rows.add(List.of(new Cell("ID", HEADER), new Cell("Command", HEADER), new Cell("State", HEADER),
                new Cell("Fg/Bg", HEADER), new Cell("PID", HEADER)));
        for (JobInfo j : jobs) {
            rows.add(List.of(Cell.plain(Integer.toString(j.id())), Cell.plain(commandText(j.command())),
                    state(j), fgBg(j), Cell.plain(Long.toString(j.pid()))));
        }
        int[] width = new int[5];
        for (List<Cell> row : rows) {
            for (int c = 0; c < 5; c++) width[c] = Math.max(width[c], length(row.get(c).text()));
        }
        StringBuilder sb = new StringBuilder();
        rule(sb, width, '╭', '┬', '╮');
        for (int r = 0; r < rows.size(); r++) {
            sb.append('│');
            for (int c = 0; c < 5; c++) {
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

    /** id, pid, command (array), state, attached, exit_code, signal, started_at, lost, log; nulls kept. */
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
            o.add("log", j.log() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(j.log()));
            array.add(o);
        }
        return JsonText.write(array) + "\n";
    }

    private static Cell state(JobInfo j) {
        return switch (j.state()) {
            case RUNNING -> new Cell("Running", BRIGHT_GREEN_BOLD);
            case STOPPED -> new Cell("Stopped", BRIGHT_YELLOW_BOLD);
            case FINISHED -> {
                if (j.lost() != null) yield new Cell("Lost - " + j.lost(), RED_BOLD);
                if (j.signal() != null) yield new Cell("Killed - " + Signals.name(j.signal()), RED_BOLD);
                int code = j.exitCode() == null ? 0 : j.exitCode();
                yield code == 0 ? new Cell("Finished", GREEN) : new Cell("Finished with error - " + code, RED_BOLD);
            }
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
}
