package jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    /** The lines of [all] and of [name]: one flag a line, # for a comment, as the launcher reads them. */
    private static List<String> section(String name) {
        List<String> flags = new ArrayList<>();
        String current = null;
        for (String raw : text().split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if ("all".equals(current) || name.equals(current)) {
                flags.add(line.split("\\s+", 2)[0]);
            }
        }
        return flags;
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
