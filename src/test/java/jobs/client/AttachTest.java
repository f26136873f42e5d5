package jobs.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import jobs.testkit.Jvm;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * The real CLI ({@code jobs.cli.Main}) in a real pty against a scripted daemon. The shell around
 * it prints the terminal settings before and after, so a terminal left in raw mode shows.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AttachTest {
    @TempDir
    Path xdg;

    private FakeDaemon daemon;

    @AfterEach
    void cleanUp() throws IOException {
        if (daemon != null) daemon.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().count() == 0);
        if (daemon != null) assertEquals(List.of(), daemon.failures);
    }

    private PtySession client(String... args) throws IOException {
        String java = Jvm.shellLine(Jvm.command("jobs.cli.Main", args));
        String script = "stty -g; " + java + "; echo \"rc=$?\"; stty -g; echo done.";
        return PtySession.start(List.of("/bin/sh", "-c", script), Map.of("XDG_RUNTIME_DIR", xdg.toString()), 100, 30);
    }

    private static int exitCode(String transcript) {
        Matcher m = Pattern.compile("rc=(\\d+)").matcher(transcript);
        assertTrue(m.find(), transcript);
        return Integer.parseInt(m.group(1));
    }

    private static void assertTerminalRestored(String transcript) {
        // a terminal left raw has no output processing: "\n" alone ends lines then
        String[] lines = transcript.split("\r?\n");
        String before = lines[0];
        String after = null;
        for (int i = 0; i < lines.length; i++) if (lines[i].contains("rc=") && i + 1 < lines.length) after = lines[i + 1];
        assertTrue(before.matches("[0-9a-f:]+"), transcript);
        assertEquals(before, after, "terminal settings differ after the client: " + transcript);
    }

    @Test
    void finishedJobGivesItsExitCodeAfterAllOutput() throws Exception {
        CountDownLatch resized = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("cat"), 0));
            d.collect(control);
            data.write("ready>");
            String typed = data.readUntil(s -> s.contains("hello"));
            data.write(typed.toUpperCase());
            finish.await();
            data.write("bye\r\n");
            data.finish();
            FakeDaemon.send(control, new Event.Finished(1, List.of("cat"), 3, null));
        });
        try (PtySession s = client("run", "cat")) {
            s.awaitText(t -> t.contains("ready>"));
            // the client entered raw mode before it printed the first byte: nothing is echoed locally
            s.write("hello");
            s.awaitText(t -> t.contains("HELLO"));
            s.resize(120, 40);
            await().atMost(Duration.ofSeconds(20)).until(() -> daemon.requests.contains(new Request.Resize(40, 120)));
            finish.countDown();
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(3, exitCode(out), out);
            assertTrue(out.contains("ready>HELLObye\r\nrc=3"), out);
            assertTerminalRestored(out);
            Request.Run run = (Request.Run) daemon.requests.getFirst();
            assertEquals(List.of("cat"), run.command());
            // the client's terminal went with the request, and measured there it is 30x100
            assertEquals(0, run.rows());
            assertEquals(new WinSize(30, 100), daemon.windows.getFirst());
            assertEquals(xdg.toString(), run.env().get("XDG_RUNTIME_DIR"));
            assertTrue(!run.detached());
        }
    }

    @Test
    void stoppedJobPrintsTheStatusLineAndExitsZero() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("cat"), 5));
            data.write("partial");
            data.finish();
            FakeDaemon.send(control, new Event.Stopped(1, List.of("cat")));
        });
        try (PtySession s = client("continue", "-o", "%1")) {
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(0, exitCode(out), out);
            assertTrue(out.contains("[jobs: 5 bytes of earlier output were dropped]\r\npartial\r\n[1] Stopped  cat\r\nrc=0"), out);
            assertTerminalRestored(out);
            assertEquals(new Request.Continue(1, false, true, 0, 0), daemon.requests.getFirst());
            assertEquals(new WinSize(30, 100), daemon.windows.getFirst());
        }
    }

    @Test
    void lostDaemonRestoresTheTerminal() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(2, 4242, List.of("cat"), 0));
            data.write("x");
            control.close();
        });
        try (PtySession s = client("run", "cat")) {
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(1, exitCode(out), out);
            assertTrue(out.contains("jobs: lost connection to the daemon\r\n"), out);
            assertTerminalRestored(out);
        }
    }

    @Test
    void killedBySignalInATerminal() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(4, 4242, List.of("sleep", "9"), 0));
            data.finish();
            FakeDaemon.send(control, new Event.Finished(4, List.of("sleep", "9"), null, 15));
        });
        try (PtySession s = client("fg", "4")) {
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(143, exitCode(out), out);
            assertTrue(out.contains("jobs: job 4 terminated by signal SIGTERM\r\nrc=143"), out);
            assertTerminalRestored(out);
        }
    }

    /**
     * Timeline: the job prints "ready>" → Ctrl-\ alone, the detach key → after its double-tap window
     * the client closes the control connection → the daemon sends the job's last bytes and closes
     * the data socket → "tail" shows, then the status line on a line of its own, exit 0.
     */
    @Test
    void theDetachKeyEndsTheSessionAfterTheOutputDrains() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(6, 4242, List.of("cat"), 0));
            data.write("ready>");
            while (Frames.read(control.getInputStream()) != null) {
                // until the client lets go: that is the detach
            }
            data.write("tail");
            data.finish();
        });
        try (PtySession s = client("run", "cat")) {
            s.awaitText(t -> t.contains("ready>"));
            s.write("\u001c");
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(0, exitCode(out), out);
            assertTrue(out.contains("ready>tail\r\n[6] Detached  cat\r\nrc=0"), out);
            assertTerminalRestored(out);
        }
    }

    /**
     * Timeline: Ctrl-Z and "hi⏎" in one write → ^Z reaches the job, "hi⏎" is held → the job
     * stops → the held keys go back into the terminal → the shell's read gets them.
     */
    @Test
    void keysTypedRightAfterCtrlZGoToTheShell() throws Exception {
        CompletableFuture<String> typed = new CompletableFuture<>();
        CompletableFuture<FakeDaemon.Data> job = new CompletableFuture<>();
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("cat"), 0));
            data.write("ready>");
            typed.complete(data.readUntil(t -> t.contains("\u001a")));
            data.finish();
            FakeDaemon.send(control, new Event.Stopped(1, List.of("cat")));
            job.complete(data);
        });
        String java = Jvm.shellLine(Jvm.command("jobs.cli.Main", "run", "cat"));
        String script = java + "; echo \"rc=$?\"; read line; echo \"shell got [$line]\"";
        try (PtySession s = PtySession.start(List.of("/bin/sh", "-c", script),
                Map.of("XDG_RUNTIME_DIR", xdg.toString()), 100, 30)) {
            s.awaitText(t -> t.contains("ready>"));
            s.write("\u001ahi\r");
            String out = s.awaitText(t -> t.contains("shell got ["));
            assertTrue(out.contains("[1] Stopped  cat\r\nrc=0"), out);
            s.awaitText(t -> t.contains("shell got [hi]"));
            assertEquals("\u001a", typed.get(30, TimeUnit.SECONDS));
            // the client is gone: whatever else it sent the job is waiting to be read
            AFUNIXSocketChannel ours = job.get(30, TimeUnit.SECONDS).ours();
            ours.configureBlocking(false);
            assertEquals(0, ours.read(ByteBuffer.allocate(64)));
        }
    }

    @Test
    void sigtermToTheClientRestoresTheTerminal() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(5, 4242, List.of("cat"), 0));
            data.write("ready>");
        });
        try (PtySession s = client("run", "cat")) {
            s.awaitText(t -> t.contains("ready>"));
            ProcessHandle java = ProcessHandle.of(s.pid()).orElseThrow().descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
            java.destroy();
            String out = s.awaitText(t -> t.contains("done."));
            assertEquals(143, exitCode(out), out);
            assertTerminalRestored(out);
        }
    }
}
