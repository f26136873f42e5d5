package jobs.runner;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import jobs.posix.Errno;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.Report;
import jobs.protocol.RunnerMessage.ReportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as the daemon uses it: a real JVM in a real pty (pty4j), talking to a real Unix
 * socket that this test serves. Keystrokes are bytes written to the pty, so ^Z raises SIGTSTP
 * through the line discipline exactly as it does for users.
 */
@Timeout(180)
class RunnerTest {
    private static final int JOB_ID = 7;
    private static final String TOKEN = "secret-token";
    // a loaded 2-core machine may take seconds to start a JVM
    private static final long WAIT = 30;

    @TempDir
    Path tmp;

    private ServerSocketChannel server;
    private Path socket;
    private final List<Session> sessions = new ArrayList<>();

    /** One runner: its pty, its connection, the frames it sent and everything its pty printed. */
    private static final class Session {
        final PtyProcess pty;
        final SocketChannel conn;
        final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        final Thread ptyReader;
        volatile long jobPid;

        Session(PtyProcess pty, SocketChannel conn) {
            this.pty = pty;
            this.conn = conn;
            ptyReader = Thread.ofPlatform().daemon().name("test pty reader").start(this::drainPty);
            Thread.ofPlatform().daemon().name("test frame reader").start(this::readFrames);
        }

        // the job blocks once the pty buffer fills, so its output is drained all the time
        private void drainPty() {
            byte[] buf = new byte[4096];
            try (InputStream in = pty.getInputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (transcript) {
                        transcript.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the pty closed
            }
        }

        private void readFrames() {
            InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return conn.read(ByteBuffer.wrap(b, off, len));
                }
            };
            try {
                for (Message m; (m = Frames.read(in)) != null; ) frames.add(m);
                frames.add("EOF");
            } catch (IOException e) {
                frames.add(e);
            }
        }

        String text() {
            synchronized (transcript) {
                return transcript.toString(StandardCharsets.UTF_8);
            }
        }

        Object next() throws InterruptedException {
            Object o = frames.poll(WAIT, SECONDS);
            assertNotNull(o, "no frame from the runner within " + WAIT + " s; pty: " + text());
            return o;
        }

        Report report() throws InterruptedException {
            return assertInstanceOf(Report.class, next());
        }

        void send(Message m) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Frames.encode(m));
            while (b.hasRemaining()) conn.write(b);
        }

        void type(String s) throws IOException {
            pty.getOutputStream().write(s.getBytes(StandardCharsets.UTF_8));
            pty.getOutputStream().flush();
        }
    }

    @BeforeEach
    void serve() throws IOException {
        socket = tmp.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Session s : sessions) {
            if (s.jobPid > 0) {
                try {
                    Processes.kill(-s.jobPid, Signals.SIGKILL);
                } catch (IOException ignored) {
                    // the job is gone already, as it should be
                }
            }
            s.pty.destroyForcibly();
            s.conn.close();
        }
        server.close();
        await().atMost(WAIT, SECONDS).until(() -> ProcessHandle.current().descendants().findAny().isEmpty());
    }

    private Session start(List<String> command) throws Exception {
        return start(command, Map.of("PATH", System.getenv("PATH")), tmp);
    }

    private Session start(List<String> command, Map<String, String> env, Path cwd) throws Exception {
        List<String> argv = List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                RunnerMain.class.getName(), Integer.toString(JOB_ID), TOKEN, socket.toString());
        PtyProcess pty = new PtyProcessBuilder(argv.toArray(String[]::new))
                .setEnvironment(Map.of("PATH", System.getenv("PATH")))
                .setDirectory(tmp.toString())
                .setInitialColumns(80)
                .setInitialRows(24)
                .start();
        SocketChannel conn;
        try {
            conn = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).get(WAIT, SECONDS);
        } catch (Exception e) {
            pty.destroyForcibly();
            throw e;
        }
        Session s = new Session(pty, conn);
        sessions.add(s);
        assertEquals(new RunnerMessage.Hello(JOB_ID, TOKEN), s.next());
        s.send(new RunnerMessage.Start(command, env, cwd.toString()));
        return s;
    }

    private Session startRunning(String... command) throws Exception {
        Session s = start(List.of(command));
        Report r = s.report();
        assertEquals(ReportKind.RUNNING, r.kind(), r.toString());
        assertTrue(r.pid() > 0);
        s.jobPid = r.pid();
        return s;
    }

    /** The state letter of /proc/PID/stat, or 'X' when the process is gone. */
    private static char state(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException e) {
            return 'X';
        }
    }

    private static void awaitExit(Session s) {
        await().atMost(WAIT, SECONDS).until(() -> !s.pty.isAlive());
        assertEquals(0, s.pty.exitValue());
    }

    @Test
    void catEchoesStopsResumesAndEnds() throws Exception {
        Session s = startRunning("cat");
        long pid = s.jobPid;

        s.type("hi\n");
        // once from the line discipline's echo, once from cat
        await().atMost(WAIT, SECONDS).until(() -> s.text().contains("hi\r\nhi\r\n"));

        s.type("\u001a");
        assertEquals(Report.stopped(pid, jobs.posix.Signals.SIGTSTP), s.report());
        assertEquals('T', state(pid));

        s.send(new RunnerMessage.Resume());
        assertEquals(Report.running(pid), s.report());
        assertNotEquals('T', state(pid));
        s.type("again\n");
        await().atMost(WAIT, SECONDS).until(() -> s.text().contains("again\r\nagain\r\n"));

        s.type("\u0004");
        assertEquals(Report.exited(pid, 0), s.report());
        assertEquals("EOF", s.next());
        awaitExit(s);
    }

    @Test
    void exitCodeIsReportedAndTheRunnerPrintsNothing() throws Exception {
        Session s = startRunning("sh", "-c", "exit 3");
        assertEquals(Report.exited(s.jobPid, 3), s.report());
        assertEquals("EOF", s.next());
        awaitExit(s);
        s.ptyReader.join(SECONDS.toMillis(WAIT));
        assertEquals("", s.text());
    }

    @Test
    void unknownCommandFailsToSpawnWithEnoent() throws Exception {
        Session s = start(List.of("no-such-command-for-jobs"));
        assertEquals(Report.spawnFailed(Errno.ENOENT), s.report());
        assertEquals("EOF", s.next());
        awaitExit(s);
        s.ptyReader.join(SECONDS.toMillis(WAIT));
        assertEquals("", s.text());
    }

    @Test
    void fileWithoutExecuteBitFailsToSpawnWithEacces() throws Exception {
        Files.writeString(tmp.resolve("script"), "#!/bin/sh\n");
        Session s = start(List.of("./script"));
        assertEquals(Report.spawnFailed(Errno.EACCES), s.report());
        awaitExit(s);
    }

    @Test
    void jobRunsInTheStartDirectoryWithTheStartEnvironment() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("work"));
        Session s = start(List.of("sh", "-c", "test \"$(pwd -P)\" = \"$D\" && test \"$X\" = y"),
                Map.of("PATH", System.getenv("PATH"), "D", dir.toRealPath().toString(), "X", "y"), dir);
        Report r = s.report();
        assertEquals(ReportKind.RUNNING, r.kind());
        s.jobPid = r.pid();
        assertEquals(Report.exited(r.pid(), 0), s.report());
        awaitExit(s);
    }

    @Test
    void signalDeathIsReported() throws Exception {
        Session s = startRunning("sleep", "100");
        Processes.kill(s.jobPid, Signals.SIGKILL);
        assertEquals(Report.signaled(s.jobPid, Signals.SIGKILL), s.report());
        awaitExit(s);
    }

    @Test
    void daemonGoingAwayHangsUpTheJobAndEndsTheRunner() throws Exception {
        Session s = startRunning("sleep", "100");
        s.conn.close();
        await().atMost(WAIT, SECONDS).until(() -> "XZ".indexOf(state(s.jobPid)) >= 0);
        awaitExit(s);
    }

    @Test
    void daemonGoingAwayAlsoEndsAStoppedJob() throws Exception {
        Session s = startRunning("cat");
        s.type("\u001a");
        assertEquals(Report.stopped(s.jobPid, jobs.posix.Signals.SIGTSTP), s.report());
        s.conn.close();
        await().atMost(WAIT, SECONDS).until(() -> "XZ".indexOf(state(s.jobPid)) >= 0);
        awaitExit(s);
    }
}
