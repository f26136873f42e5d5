package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runners whose daemon died while another process starts the next one (it holds the runtime
 * directory's start lock) wait for it blocked on that lock, which costs no CPU, instead of
 * trying again on a timer; once it lets go, they come back to a daemon with their jobs.
 */
@Timeout(180)
class StartLockTest {
    @RegisterExtension
    final TestUser user = new TestUser();

    @Test
    void orphanedRunnersWaitOnTheStartLockThenComeBack() throws Exception {
        Cli cli = user.cli();
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) jobs.add(cli.run("run", "-d", "sleep", Integer.toString(1000 + i)).startedPid());
        List<Long> runners = jobs.stream().map(StartLockTest::parent).toList();
        long daemon = parent(runners.getFirst());
        assertTrue(Proc.commandLine(daemon).contains("daemon"), Proc.commandLine(daemon));

        Path lockFile = user.runtime().resolve("job-security").resolve("start.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
            // each runner ends up asleep in the kernel on the lock, not on a timer
            await().atMost(PtySession.WAIT).until(() -> runners.stream().allMatch(StartLockTest::waitsOnALock));
            for (long pid : jobs) assertTrue(Proc.alive(pid), pid + " died with its daemon");
        }

        // let go: a runner starts the next daemon, and every job is listed again, still running
        String list = cli.run("list", "--json").out();
        for (long pid : jobs) assertTrue(list.contains("\"pid\":" + pid + ","), list);
        assertEquals(3, list.split("\"state\":\"running\"", -1).length - 1, list);
        assertEquals(0, cli.run("kill-server").code());
    }

    /** A thread of the process sleeps in fcntl(F_SETLKW), as FileChannel.lock waits. */
    private static boolean waitsOnALock(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("wchan")).contains("setlk");
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }

    private static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }
}
