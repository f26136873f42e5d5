package jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jobs.testkit.SocketQueues;
import jobs.testkit.ThreadDump;

/**
 * What a failed e2e test prints about its daemons while they are still there: the end of the
 * daemon log of its runtime dir, the sockets holding bytes and every thread of each live daemon
 * (see {@link SocketQueues}, {@link ThreadDump}).
 */
final class DaemonReport {
    private static final int LINES = 80;

    private DaemonReport() {}

    static void print(String test, Path runtime) {
        Path log = runtime.resolve("job-security/daemon.log");
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println("== " + test + " failed; the last lines of " + log + " ==");
            lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("== " + test + " failed; no daemon log: " + e);
        }
        SocketQueues.print();
        for (long daemon : Leftovers.daemons(runtime)) ThreadDump.print("daemon", daemon, runtime);
    }
}
