package jobs.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every thread of a live JVM, virtual ones included, printed to the test's output file (which CI
 * shows for a failed class): a key that never reached its job shows as the thread parked on its
 * way, and a failure seen only on a loaded machine is explained by the run that had it.
 */
public final class ThreadDump {
    private static final int LINES = 600;

    private ThreadDump() {}

    /** Dumps through jcmd into a file in dir, then prints its first lines. */
    public static void print(String what, long pid, Path dir) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path dump = dir.resolve("threads-" + pid + "-" + System.nanoTime() + ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.dump_to_file", "-format=text",
                    dump.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.out.println("== no thread dump of " + what + " " + pid + ": jcmd did not answer");
                return;
            }
            List<String> lines = Files.readAllLines(dump);
            System.out.println("== threads of " + what + " " + pid + " (" + lines.size() + " lines) ==");
            // pty4j names its reaper threads after the whole command line, class path and all
            lines.subList(0, Math.min(lines.size(), LINES))
                    .forEach(l -> System.out.println(l.length() > 300 ? l.substring(0, 300) + "..." : l));
        } catch (IOException e) {
            System.out.println("== no thread dump of " + what + " " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
