package jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the package table of STYLE.md true: daemon and client meet only in protocol. */
class ArchitectureTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "protocol", Set.of(),
            "posix", Set.of(),
            "config", Set.of("posix"),
            "history", Set.of("protocol", "posix", "config"),
            "job", Set.of("history", "protocol", "posix", "config"),
            "daemon", Set.of("job", "history", "protocol", "config", "posix"),
            "runner", Set.of("protocol", "posix", "config"),
            "client", Set.of("protocol", "posix", "config"),
            "cli", Set.of("client", "daemon", "runner", "protocol", "posix", "config"),
            // the AOT training harness: on top of everything, and nothing of the product uses it
            "training", Set.of("cli", "client", "daemon", "runner", "protocol", "posix", "config"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?jobs\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void packagesImportOnlyWhatTheTableAllows() throws IOException {
        Path root = Path.of("src/main/java/jobs");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(used)) {
                        violations.add(f + " imports jobs." + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * A command runs on a short class path (target/client-lib, see pom.xml): the jar, gson and
     * junixsocket. The packages on its way (besides posix, whose daemon-only Poller logs) must
     * not reach for the daemon's libraries, or a command would fail with NoClassDefFoundError.
     */
    @Test
    void commandsUseOnlyTheClientLibraries() throws IOException {
        Pattern external = Pattern.compile("(?:^import (?:static )?|[^\\w.])((?:org\\.slf4j|ch\\.qos|com\\.pty4j|com\\.sun\\.jna|kotlin)\\.)",
                Pattern.MULTILINE);
        List<String> violations = new ArrayList<>();
        for (String pkg : List.of("cli", "client", "config", "protocol")) {
            try (Stream<Path> files = Files.walk(Path.of("src/main/java/jobs", pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = external.matcher(Files.readString(f));
                    if (m.find()) violations.add(f + " uses " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** Not by an import, nor by a qualified name: the product runs the same without the training. */
    @Test
    void nothingUsesTheTraining() throws IOException {
        assertTrue(ALLOWED.values().stream().noneMatch(allowed -> allowed.contains("training")));
        Path root = Path.of("src/main/java/jobs");
        List<String> users = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                boolean training = root.relativize(f).getName(0).toString().equals("training");
                if (!training && Files.readString(f).contains("jobs.training")) users.add(f.toString());
            }
        }
        assertEquals(List.of(), users);
    }
}
