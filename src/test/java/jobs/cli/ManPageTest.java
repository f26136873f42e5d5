package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** jobs(1) says what --help says, word for word, for every command. */
class ManPageTest {
    private static final String PAGE = ManPage.render("1.2.3", "2026-01-02");

    @Test
    void everyCommandHasItsSectionInTheGlobalHelpsOrder() {
        List<Verb> order = ManPage.inHelpOrder();
        assertEquals(Verb.values().length, order.size());
        int at = PAGE.indexOf(".SH COMMANDS");
        for (Verb v : order) {
            int section = PAGE.indexOf(".SS \"jobs " + ManPage.escape(ManPage.name(v)) + "\"\n");
            assertTrue(section > at, v + " is missing or out of order");
            at = section;
        }
        assertEquals(List.of("run", "continue", "list"), order.subList(0, 3).stream().map(ManPage::name).toList());
    }

    @Test
    void theTextIsTheHelpTextsWordForWord() {
        assertEquals(words(Help.GLOBAL), words(text(ManPage.body(Help.GLOBAL))));
        for (Verb v : Verb.values()) assertEquals(words(v.help), words(text(ManPage.body(v.help))), v.name());
    }

    @Test
    void headerAndName() {
        assertTrue(PAGE.startsWith(".TH JOBS 1 \"2026\\-01\\-02\" \"jobs 1.2.3\" \"User Commands\"\n"), PAGE);
        assertTrue(PAGE.contains("\n.SH NAME\njobs \\- job control from anywhere\n"), PAGE);
    }

    @Test
    void optionsAreTaggedParagraphsAndUsageStaysAsWritten() {
        String run = ManPage.body(Help.RUN);
        assertTrue(run.contains(".TP\n\\fB\\-d, \\-\\-detached\\fR\nstart in the background and print '[ID] PID'\n"), run);
        assertTrue(run.contains(".nf\nUsage: jobs run [\\-d|\\-\\-detached]"), run);
        assertTrue(run.contains("\n       jobs run [\\-d] CMD \\-\\- ARGS...\n"), run);
    }

    @Test
    void escapesWhatRoffWouldRead() {
        assertEquals("\\&.hidden", ManPage.escape(".hidden"));
        assertEquals("\\&'quoted'", ManPage.escape("'quoted'"));
        assertEquals("Ctrl\\-\\e cut with \\[u2026]", ManPage.escape("Ctrl-\\ cut with …"));
        for (String line : PAGE.split("\n")) {
            assertTrue(line.chars().allMatch(c -> c < 127), "not ASCII: " + line);
        }
    }

    /** The page's text as a reader sees it: no requests, fonts or escapes. */
    private static String text(String roff) {
        StringBuilder out = new StringBuilder();
        for (String line : roff.split("\n")) {
            if (line.startsWith(".") && !line.startsWith("\\&")) continue;
            String plain = line.replace("\\fB", "").replace("\\fR", "").replace("\\&", "")
                    .replace("\\-", "-").replace("\\e", "\\");
            Matcher m = Pattern.compile("\\\\\\[u([0-9A-F]{4})]").matcher(plain);
            plain = m.replaceAll(r -> Character.toString(Integer.parseInt(r.group(1), 16)));
            out.append(plain).append('\n');
        }
        return out.toString();
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.strip().split("\\s+"));
    }
}
