package jobs.posix;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessesTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    private final List<Long> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            try {
                Processes.waitpid(pid);
            } catch (IOException ignored) {
                // already reaped by the test
            }
        }
        await().atMost(10, SECONDS).until(() -> ProcessHandle.current().children().findAny().isEmpty());
    }

    private long spawn(String... argv) throws IOException {
        Lookup found = Executables.resolve(argv[0], ENV.get("PATH"), tmp);
        long pid = Processes.spawn(((Lookup.Found) found).path().toString(), List.of(argv), ENV, tmp, false);
        started.add(pid);
        return pid;
    }

    @Test
    void exitCodeComesBack() throws IOException {
        long pid = spawn("sh", "-c", "exit 3");
        assertEquals(new WaitStatus.Exited(3), Processes.waitpid(pid));
    }

    @Test
    void killedChildReportsItsSignal() throws IOException {
        long pid = spawn("sleep", "100");
        Processes.kill(pid, Signals.SIGTERM);
        assertEquals(new WaitStatus.Signaled(Signals.SIGTERM), Processes.waitpid(pid));
    }

    @Test
    void stopAndContinueAreReported() throws IOException {
        long pid = spawn("sleep", "100");
        Processes.kill(pid, Signals.SIGSTOP);
        assertEquals(new WaitStatus.Stopped(Signals.SIGSTOP), Processes.waitpid(pid));
        Processes.kill(pid, Signals.SIGCONT);
        assertEquals(new WaitStatus.Continued(), Processes.waitpid(pid));
        Processes.kill(-pid, Signals.SIGKILL);
        assertEquals(new WaitStatus.Signaled(Signals.SIGKILL), Processes.waitpid(pid));
    }

    @Test
    void childGetsExactlyTheGivenEnvironment() throws IOException {
        long pid = Processes.spawn("/bin/sh", List.of("sh", "-c", "test \"$X\" = y && test -z \"$HOME\""),
                Map.of("X", "y"));
        started.add(pid);
        assertEquals(new WaitStatus.Exited(0), Processes.waitpid(pid));
    }

    @Test
    void childLeadsItsOwnProcessGroup() throws IOException {
        long pid = spawn("sh", "-c", "test \"$(ps -o pgid= -p $$ | tr -d ' ')\" = $$");
        assertEquals(new WaitStatus.Exited(0), Processes.waitpid(pid));
    }

    @Test
    void childGetsDefaultSignalsAndAnEmptyMask() throws IOException {
        // the test JVM blocks and handles signals of its own; the child must see none of that
        Processes.ignoreSignal(Signals.SIGTTOU);
        long pid = spawn("sh", "-c", "grep -q '^SigBlk:\t0000000000000000$' /proc/self/status"
                + " && grep '^SigIgn:' /proc/self/status > ignored");
        assertEquals(new WaitStatus.Exited(0), Processes.waitpid(pid));
        long ignored = Long.parseLong(Files.readString(tmp.resolve("ignored")).substring(7).trim(), 16);
        // glibc's posix_spawn sets its own internal signals 32 and 33 to SIG_IGN in every child
        assertEquals(0, ignored & ~((1L << 31) | (1L << 32)), Long.toHexString(ignored));
    }

    @Test
    void onlyStandardDescriptorsAreInherited() throws IOException {
        long pid = spawn("sh", "-c", "test \"$(ls /proc/self/fd | wc -l)\" -le 4");
        assertEquals(new WaitStatus.Exited(0), Processes.waitpid(pid));
    }

    @Test
    void spawnRunsInTheGivenDirectory() throws IOException {
        Files.createFile(tmp.resolve("marker"));
        long pid = Processes.spawn("/bin/sh", List.of("sh", "-c", "test -e marker"), ENV, tmp, false);
        started.add(pid);
        assertEquals(new WaitStatus.Exited(0), Processes.waitpid(pid));
    }

    @Test
    void spawnFailureCarriesErrno() {
        SpawnException e = assertThrows(SpawnException.class,
                () -> Processes.spawn(tmp.resolve("nope").toString(), List.of("nope"), ENV));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("posix_spawn: ENOENT", e.getMessage());
    }

    @Test
    void killOfNoProcessNamesTheErrno() {
        IOException e = assertThrows(IOException.class, () -> Processes.kill(-2_000_000_000L, 0));
        assertEquals("kill: ESRCH", e.getMessage());
    }

    @Test
    void getpidIsOurs() {
        assertEquals(ProcessHandle.current().pid(), Processes.getpid());
    }

    @Test
    void ignoringSignalWorks() throws IOException {
        // SIGTTOU is unused by the JVM, and ignoring it is what the runner does
        Processes.ignoreSignal(Signals.SIGTTOU);
        assertTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & (1L << (Signals.SIGTTOU - 1))) != 0));
    }
}
