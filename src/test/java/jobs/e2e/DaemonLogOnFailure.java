package jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A failed e2e test prints the end of its daemons' log (to the test's output file, which CI
 * shows for a failed class): a failure that happens only on a loaded CI machine is then
 * explained by the run that had it, not by guesses. Runs before @AfterEach and its clean-up, so
 * the log is still there.
 */
final class DaemonLogOnFailure implements AfterTestExecutionCallback {
    private static final int LINES = 80;
    private final Supplier<Path> runtimeDir;

    DaemonLogOnFailure(Supplier<Path> runtimeDir) {
        this.runtimeDir = runtimeDir;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) return;
        Path dir = runtimeDir.get();
        if (dir == null) return;
        Path log = dir.resolve("job-security/daemon.log");
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println("== " + context.getDisplayName() + " failed; the last lines of " + log + " ==");
            lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("== " + context.getDisplayName() + " failed; no daemon log: " + e);
        }
    }
}
