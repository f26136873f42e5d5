package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.awaitility.core.ConditionTimeoutException;

/** Processes these tests may leave: our children, and anything carrying our runtime dir. */
final class Leftovers {
    private Leftovers() {}

    static void awaitNone(Path runtime) {
        try {
            await("no process left").atMost(PtySession.WAIT).until(() -> find(runtime).isEmpty());
        } catch (ConditionTimeoutException e) {
            List<ProcessHandle> left = find(runtime);
            String names = describe(left);
            left.forEach(ProcessHandle::destroyForcibly);
            fail("processes left behind: " + names);
        }
    }

    /** The live daemons of this runtime dir (a killed one may linger a moment as a zombie: not counted). */
    static List<Long> daemons(Path runtime) {
        return find(runtime).stream()
                .filter(p -> Proc.alive(p.pid()) && Proc.commandLine(p.pid()).endsWith(" daemon"))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** The one live daemon of this runtime dir; fails the test if there are more, or none. */
    static long onlyDaemon(Path runtime) {
        List<Long> daemons = daemons(runtime);
        org.junit.jupiter.api.Assertions.assertEquals(1, daemons.size(), "daemons: " + daemons);
        return daemons.getFirst();
    }

    // The daemon leaves our process tree on purpose; its environment, inherited by its
    // runners and jobs, still names this test's XDG_RUNTIME_DIR.
    static List<ProcessHandle> find(Path runtime) {
        byte[] marker = ("XDG_RUNTIME_DIR=" + runtime + "\0").getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>(ProcessHandle.current().descendants().toList());
        ProcessHandle.allProcesses().forEach(p -> {
            if (p.pid() != ProcessHandle.current().pid() && !found.contains(p) && hasEnv(p, marker)) found.add(p);
        });
        return found;
    }

    private static boolean hasEnv(ProcessHandle p, byte[] marker) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
            for (int i = 0; i + marker.length <= environ.length; i++) {
                if ((i == 0 || environ[i - 1] == 0)
                        && Arrays.equals(environ, i, i + marker.length, marker, 0, marker.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours
        }
    }

    private static String describe(List<ProcessHandle> ps) {
        StringBuilder sb = new StringBuilder();
        for (ProcessHandle p : ps) {
            sb.append(p.pid()).append(' ').append(p.info().commandLine().orElse("?")).append("; ");
        }
        return sb.toString();
    }
}
