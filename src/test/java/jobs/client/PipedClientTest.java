package jobs.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import jobs.testkit.Jvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI with pipes instead of a terminal (scripts, cron) against a scripted daemon. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PipedClientTest {
    @TempDir
    Path xdg;

    private FakeDaemon daemon;
    private Process process;

    record Result(int exit, String out, String err) {}

    @AfterEach
    void cleanUp() throws IOException {
        if (process != null) process.destroyForcibly();
        if (daemon != null) daemon.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().count() == 0);
        if (daemon != null) assertEquals(List.of(), daemon.failures);
    }

    private Result jobs(String stdin, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jvm.command("jobs.cli.Main", args));
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        pb.environment().put("LANG", "C");
        pb.environment().remove("LC_ALL");
        process = pb.start();
        Process p = process;
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream(), StandardCharsets.UTF_8));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream(), StandardCharsets.UTF_8));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in, java.nio.charset.Charset cs) {
        try {
            return new String(in.readAllBytes(), cs);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    private void echoDaemon() throws IOException {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("cat"), 0));
            String received = data.readUntil(s -> s.indexOf(0x04) >= 0);
            data.write("[" + received.replace("\u0004", "^D") + "]");
            data.finish();
            FakeDaemon.send(control, new Event.Finished(1, List.of("cat"), 0, null));
        });
    }

    @Test
    void endOfInputBecomesVeofForTheJob() throws Exception {
        echoDaemon();
        Result r = jobs("hi\n", "run", "cat");
        assertEquals(new Result(0, "[hi\n^D]", ""), r);
        Request.Run run = (Request.Run) daemon.requests.getFirst();
        assertEquals(24, run.rows());
        assertEquals(80, run.cols());
        assertEquals(System.getProperty("user.dir"), run.cwd());
    }

    @Test
    void aPartialLineNeedsTwoVeofs() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("cat"), 0));
            String received = data.readUntil(s -> s.endsWith("\u0004\u0004"));
            data.write(received.replace("\u0004", "^D"));
            data.finish();
            FakeDaemon.send(control, new Event.Finished(1, List.of("cat"), 0, null));
        });
        assertEquals(new Result(0, "abc^D^D", ""), jobs("abc", "run", "cat"));
    }

    /**
     * Timeline: the job's first line reaches the client's stdout → its reader goes away (as head
     * does) → the next output fails to show → the client ends the session and exits 141, as a
     * pipeline member killed by SIGPIPE, silently.
     */
    @Test
    void aClosedStdoutEndsTheSessionWith141() throws Exception {
        CountDownLatch readerGone = new CountDownLatch(1);
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            var data = d.attach(control, new Event.Running(1, 4242, List.of("yes"), 0));
            data.write("first\n");
            readerGone.await();
            data.write("more\n");
            while (Frames.read(control.getInputStream()) != null) {
                // until the client lets go, which it does once its stdout failed
            }
        });
        ProcessBuilder pb = new ProcessBuilder(Jvm.command("jobs.cli.Main", "run", "yes"));
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        process = pb.start();
        Process p = process;
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream(), StandardCharsets.UTF_8));
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("first", out.readLine());
        }
        readerGone.countDown();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(new Result(141, "", ""), new Result(p.exitValue(), "", err.get()));
    }

    @Test
    void detachedRunPrintsIdAndPid() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) ->
                FakeDaemon.send(control, new Event.Background(7, 4242, List.of("sleep", "9"))));
        assertEquals(new Result(0, "[7] 4242\n", ""), jobs("", "run", "-d", "sleep", "9"));
        Request.Run run = (Request.Run) daemon.requests.getFirst();
        assertTrue(run.detached());
        assertEquals(List.of("sleep", "9"), run.command());
    }

    @Test
    void detachedContinue() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) ->
                FakeDaemon.send(control, new Event.Background(7, 4242, List.of("sleep", "9"))));
        assertEquals(new Result(0, "", "[7] Running  sleep 9 &\n"), jobs("", "continue", "-d"));
        assertEquals(new Request.Continue(null, true, false, 24, 80), daemon.requests.getFirst());
    }

    @Test
    void finishedJobContinuedDetachedReportsItsStatus() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) ->
                FakeDaemon.send(control, new Event.Finished(3, List.of("false"), 1, null)));
        assertEquals(new Result(1, "", ""), jobs("", "c", "-d", "3"));
    }

    @Test
    void daemonErrorsAreOneLineWithTheirExitCode() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            Event.Error e = first instanceof Request.Run
                    ? new Event.Error(Event.ErrorKind.COMMAND_NOT_FOUND, "nosuch: command not found")
                    : new Event.Error(Event.ErrorKind.NOT_FOUND, "no job 7");
            FakeDaemon.send(control, e);
        });
        assertEquals(new Result(1, "", "jobs: no job 7\n"), jobs("", "continue", "7"));
        assertEquals(new Result(127, "", "jobs: nosuch: command not found\n"), jobs("", "run", "nosuch"));
    }

    @Test
    void listAndKillServer() throws Exception {
        daemon = new FakeDaemon(xdg, (d, control, first) -> {
            if (first instanceof Request.ListJobs) {
                FakeDaemon.send(control, new Event.JobList(List.of(new JobInfo(1, 42, List.of("cat"),
                        JobInfo.JobStateName.STOPPED, false, null, null, "t"))));
            } else {
                FakeDaemon.send(control, new Event.Done());
            }
        });
        // LANG=C must not turn the table's box into question marks
        Result table = jobs("", "list");
        assertEquals(0, table.exit());
        assertTrue(table.out().contains("│  1 │     cat │ Stopped │       │  42 │"), table.out());
        Result json = jobs("", "ls", "--json");
        assertEquals(new Result(0, "[{\"id\":1,\"pid\":42,\"command\":[\"cat\"],\"state\":\"stopped\","
                + "\"attached\":false,\"exit_code\":null,\"signal\":null,\"started_at\":\"t\",\"lost\":null,\"name\":null,\"ended_at\":null,\"log\":null,"
                + "\"queue\":null,\"after\":[],\"start_at\":null,\"cancelled\":null}]\n", ""), json);
        assertEquals(new Result(0, "", ""), jobs("", "kill-server"));
        assertEquals(new Request.KillServer(), daemon.requests.getLast());
    }

    @Test
    void noDaemon() throws Exception {
        // no daemon has no jobs: list answers like an empty daemon, and starts none
        assertEquals(new Result(0, "No jobs found\n", ""), jobs("", "list"));
        assertEquals(new Result(0, "[]\n", ""), jobs("", "list", "--json"));
        assertFalse(Files.exists(xdg.resolve("job-security")));
        Files.createDirectory(xdg.resolve("job-security"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(new Result(0, "No jobs found\n", ""), jobs("", "list"));
        assertEquals(new Result(1, "", "jobs: no daemon running\n"), jobs("", "kill-server"));
        assertEquals(new Result(1, "", "jobs: no daemon running\n"), jobs("", "continue"));
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() throws Exception {
        assertEquals(new Result(2, "", "jobs: ambiguous command 'r': run, resume (see 'jobs --help')\n"),
                jobs("", "r"));
    }
}
