package jobs.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jobs.config.JvmFlags;

/** The command line of a child JVM with this test run's java and class path. */
public final class Jvm {
    private Jvm() {}

    public static List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.client());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Quotes a word for sh -c. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String shellLine(List<String> words) {
        return String.join(" ", words.stream().map(Jvm::shellQuote).toList());
    }
}
