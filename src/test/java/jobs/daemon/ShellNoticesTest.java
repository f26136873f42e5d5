package jobs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jobs.config.RuntimePaths;
import jobs.job.Unattended;
import jobs.protocol.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notices directory on a real file system, read the way the shells' prompt hooks read it:
 * they take the directory's existence for "a notice is waiting" and remove it once empty.
 */
@Timeout(120)
class ShellNoticesTest {
    /** This test's own process stands for the shell: it is alive, which the daemon checks. */
    private static final String SHELL = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path runtime;

    private Path dir() {
        return runtime.resolve("notices").resolve(SHELL);
    }

    private static Unattended exited(int id, int code) {
        List<String> command = List.of("sh", "-c", "exit " + code);
        return new Unattended(id, "sh", command, "Finished", Integer.toString(code), 1, null, null,
                new Event.Finished(id, command, code, null), Map.of(ShellNotices.SHELL_PID, SHELL));
    }

    private List<String> waiting() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().map(ShellNoticesTest::read).toList();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> leftInRoot() throws IOException {
        try (Stream<Path> files = Files.list(runtime.resolve("notices"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals(SHELL)).toList();
        }
    }

    @Test
    void noticesArriveInOrderAndLeaveNothingStagedBehind() throws Exception {
        ShellNotices notices = new ShellNotices(new RuntimePaths(runtime));
        notices.happened(exited(1, 4));
        notices.happened(exited(2, 0));
        assertEquals(List.of("[1]  Exit 4  sh -c exit 4\n", "[2]  Done  sh -c exit 0\n"), waiting());
        assertEquals(List.of(), leftInRoot());
    }

    @Test
    void aCancelledJobSaysWhy() {
        assertEquals("Cancelled (job 1 ended with status 2)", ShellNotices.status(
                new Event.Finished(2, List.of("true"), null, null, null, "job 1 ended with status 2")));
        assertEquals("Exit 3", ShellNotices.status(new Event.Finished(2, List.of("true"), 3, null)));
    }

    @Test
    void anEmptyDirectoryTheShellDidNotRemoveIsTakenOver() throws Exception {
        Files.createDirectories(dir());
        new ShellNotices(new RuntimePaths(runtime)).happened(exited(3, 1));
        assertEquals(List.of("[3]  Exit 1  sh -c exit 1\n"), waiting());
        assertEquals(List.of(), leftInRoot());
    }

    @Test
    void aShellThatFindsTheDirectoryAlwaysFindsANoticeInIt() throws Exception {
        ShellNotices notices = new ShellNotices(new RuntimePaths(runtime));
        int perWriter = 500;
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int base = w * perWriter;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= perWriter; i++) notices.happened(exited(base + i, 7));
            }));
        }
        List<String> read = new ArrayList<>();
        int emptyLooks = 0;
        // the prompt hook's loop: test for the directory, read what is there, remove it
        while (writers.stream().anyMatch(Thread::isAlive) || Files.isDirectory(dir())) {
            if (!Files.isDirectory(dir())) {
                Thread.yield();
                continue;
            }
            List<Path> seen;
            try (Stream<Path> files = Files.list(dir())) {
                seen = files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            if (seen.isEmpty()) emptyLooks++;
            for (Path f : seen) {
                read.add(Files.readString(f));
                Files.delete(f);
            }
            try {
                Files.delete(dir());
            } catch (java.nio.file.DirectoryNotEmptyException more) {
                // a notice joined meanwhile: the next look takes it
            }
        }
        assertEquals(0, emptyLooks, "the shell found the directory with no notice in it");
        assertEquals(2 * perWriter, read.size(), "notices lost or read twice");
        assertEquals(2 * perWriter, read.stream().distinct().count(), "a notice read twice");
        assertFalse(Files.exists(dir()));
        assertTrue(leftInRoot().isEmpty(), "staged leftovers: " + leftInRoot());
    }
}
