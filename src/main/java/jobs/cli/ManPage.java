package jobs.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * jobs(1) in roff, made from the --help texts themselves, so that the manual and the CLI never
 * say different things. The texts keep to a few shapes, which map to man macros: a "Usage:"
 * block stays as written (.nf), a flush-left paragraph is filled (.PP), and an indented line
 * "  TAG  description" (the description going on in deeper-indented lines) is a tagged paragraph
 * (.TP). The global help is the DESCRIPTION; every command's help is a subsection of COMMANDS,
 * in the order the global help lists them.
 */
final class ManPage {
    private ManPage() {}

    static String render(String version, String date) {
        StringBuilder out = new StringBuilder();
        out.append(".TH JOBS 1 ").append(quoted(date)).append(' ').append(quoted("jobs " + version))
                .append(" \"User Commands\"\n");
        out.append(".SH NAME\n").append("jobs \\- ").append(escape(summary())).append('\n');
        out.append(".SH DESCRIPTION\n").append(body(Help.GLOBAL));
        out.append(".SH COMMANDS\n");
        for (Verb verb : inHelpOrder()) {
            out.append(".SS ").append(quoted("jobs " + name(verb))).append('\n').append(body(verb.help));
        }
        return out.toString();
    }

    /** "job control from anywhere", from the global help's first words "jobs: ... ." */
    private static String summary() {
        String first = Help.GLOBAL.lines().findFirst().orElseThrow();
        return first.substring(first.indexOf(':') + 1, first.indexOf('.')).strip();
    }

    /** The command's name as its usage line writes it: "Usage: jobs NAME ...". */
    static String name(Verb verb) {
        String usage = verb.help.lines().findFirst().orElseThrow();
        return usage.split("\\s+")[2];
    }

    static List<Verb> inHelpOrder() {
        List<Verb> verbs = new ArrayList<>(List.of(Verb.values()));
        verbs.sort(Comparator.comparingInt(v -> {
            int at = Help.GLOBAL.indexOf("\n  " + name(v) + " ");
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return verbs;
    }

    /** A help text as man macros. */
    static String body(String help) {
        StringBuilder out = new StringBuilder();
        for (String block : help.strip().split("\n\\s*\n")) {
            List<String> lines = block.lines().toList();
            if (lines.getFirst().startsWith("Usage:")) {
                out.append(".PP\n.nf\n");
                for (String line : lines) out.append(escape(line)).append('\n');
                out.append(".fi\n");
            } else {
                paragraphs(lines, out);
            }
        }
        return out.toString();
    }

    /** Flush-left lines fill a paragraph; an indented line starts a tagged one. */
    private static void paragraphs(List<String> lines, StringBuilder out) {
        List<String> text = new ArrayList<>();
        String tag = null;
        for (String line : lines) {
            int indent = line.length() - line.stripLeading().length();
            if (indent == 0) {
                if (tag != null || text.isEmpty()) flush(tag, text, out);
                tag = null;
                text.add(line.strip());
            } else if (indent <= 2) {
                flush(tag, text, out);
                String[] parts = line.strip().split("\\s{2,}", 2);
                tag = parts[0];
                if (parts.length > 1) text.add(parts[1]);
            } else {
                text.add(line.strip());
            }
        }
        flush(tag, text, out);
    }

    private static void flush(String tag, List<String> text, StringBuilder out) {
        if (tag == null && text.isEmpty()) return;
        if (tag == null) {
            out.append(".PP\n");
        } else {
            out.append(".TP\n").append("\\fB").append(escape(tag)).append("\\fR\n");
        }
        if (!text.isEmpty()) out.append(escape(String.join(" ", text).replaceAll(" {2,}", " "))).append('\n');
        text.clear();
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }

    /**
     * Text as roff prints it: a backslash and a minus (options must stay copyable) escaped, a line
     * that would read as a request protected, other than ASCII by its code point.
     */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\\') out.append("\\e");
            else if (c == '-') out.append("\\-");
            else if (c > 126) out.append(String.format("\\[u%04X]", c));
            else out.appendCodePoint(c);
        });
        if (!out.isEmpty() && (out.charAt(0) == '.' || out.charAt(0) == '\'')) out.insert(0, "\\&");
        return out.toString();
    }
}
