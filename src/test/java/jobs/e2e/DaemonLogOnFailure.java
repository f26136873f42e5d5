package jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A failed e2e test prints the end of its daemons' log and a dump of every thread of each live
 * daemon, virtual ones included (to the test's output file, which CI shows for a failed class):
 * a failure that happens only on a loaded CI machine is then explained by the run that had it,
 * not by guesses; a key that never reached its job shows as the thread parked on its way.
 * Runs before @AfterEach and its clean-up, so the log and the daemon are still there.
 */
final class DaemonLogOnFailure implements AfterTestExecutionCallback {
    private static final int LINES = 80;
    private static final int DUMP_LINES = 600;
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
        for (long daemon : Leftovers.daemons(dir)) dumpThreads(daemon, dir);
    }

    private static void dumpThreads(long pid, Path dir) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path dump = dir.resolve("threads-" + pid + ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.dump_to_file", "-format=text",
                    dump.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.out.println("== no thread dump of daemon " + pid + ": jcmd did not answer");
                return;
            }
            List<String> lines = Files.readAllLines(dump);
            System.out.println("== threads of daemon " + pid + " (" + lines.size() + " lines) ==");
            // pty4j names its reaper threads after the whole command line, class path and all
            lines.subList(0, Math.min(lines.size(), DUMP_LINES))
                    .forEach(l -> System.out.println(l.length() > 300 ? l.substring(0, 300) + "..." : l));
        } catch (IOException e) {
            System.out.println("== no thread dump of daemon " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
