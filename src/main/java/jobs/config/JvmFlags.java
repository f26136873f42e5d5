package jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags of config/jvm.flags, which the build puts in the jar: the one place they are
 * written down, read by the launcher as well. The file says which flag is for which JVM, and why.
 */
public final class JvmFlags {
    private static final String RESOURCE = "/jvm.flags";

    private JvmFlags() {}

    /** The {@code jobs} command's own JVM. */
    public static List<String> client() {
        return section("client");
    }

    /** The daemon's JVM. */
    public static List<String> daemon() {
        return section("daemon");
    }

    /** A job's runner. */
    public static List<String> runner() {
        return section("runner");
    }

    /** The lines of [all] and of [name]. */
    private static List<String> section(String name) {
        List<String> flags = new ArrayList<>(Sections.ALL.getOrDefault("all", List.of()));
        flags.addAll(Sections.ALL.getOrDefault(name, List.of()));
        return flags;
    }

    /**
     * The file read once, on first use: the daemon asks for a runner's flags at every job start,
     * which need not open the jar each time.
     */
    private static final class Sections {
        static final Map<String, List<String>> ALL = parse(text());

        /** One flag a line, # for a comment, as the launcher reads them. */
        private static Map<String, List<String>> parse(String text) {
            Map<String, List<String>> sections = new HashMap<>();
            List<String> current = null;
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new ArrayList<>());
                } else if (current != null) {
                    current.add(line.split("\\s+", 2)[0]);
                }
            }
            sections.replaceAll((k, v) -> List.copyOf(v));
            return Map.copyOf(sections);
        }

        private static String text() {
            try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the class path");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
