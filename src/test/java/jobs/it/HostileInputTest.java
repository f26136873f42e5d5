package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Whatever arrives on the socket, the daemon answers with an error event or closes that one
 * connection, stays up, keeps its memory, and still runs a job afterwards.
 */
@Timeout(180)
class HostileInputTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    private static final ExecutorService READER = Executors.newVirtualThreadPerTaskExecutor();
    TestDaemon daemon;
    int fdsBefore;
    String fdTargetsBefore;

    @BeforeEach
    void start() throws Exception {
        daemon = daemons.start(tmp);
        // the JDK's pollers and the log file open lazily: let them, before counting
        answerTo(frame("{}"));
        stillRunsAJob();
        fdsBefore = Probe.fdsExceptPollers();
        fdTargetsBefore = Probe.fdTargets();
    }

    @Test
    void garbageAndMalformedFramesGetAnErrorOrAClose() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.add(new byte[] {0, 0});                                   // truncated header
        inputs.add(new byte[] {0, 0, 0, 100, '{'});                      // truncated body
        inputs.add(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // 2 GB announced
        inputs.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        inputs.add(frame("[1,2,3]"));
        inputs.add(frame("not json at all"));
        inputs.add(frame("{\"v\":3}"));
        inputs.add(frame("{\"v\":99,\"type\":\"Request.ListJobs\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Explode\"}"));
        inputs.add(frame("{\"v\":3,\"type\":{\"nested\":true}}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":null,\"env\":null}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"sh\"],\"rows\":\"many\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":\"sh\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[null]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"env\":{\"PATH\":null},\"detached\":true}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"env\":{\"A\\u0000B\":\"x\"},\"detached\":true}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"env\":[1,2]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"cwd\":\"relative/dir\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"cwd\":\"/tmp\\u0000x\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Continue\",\"id\":-1}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Continue\",\"id\":1e40}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Resize\",\"rows\":10,\"cols\":10}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Event.Done\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"RunnerMessage.Hello\",\"jobId\":1,\"token\":\"wrong\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"RunnerMessage.Hello\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"RunnerMessage.Warm\",\"runner\":1,\"token\":\"wrong\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"RunnerMessage.Warm\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"RunnerMessage.Report\",\"kind\":\"EXITED\"}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Kill\",\"signal\":0,\"all\":true}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Kill\",\"signal\":99,\"jobs\":[\"1\"]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Kill\",\"signal\":15,\"jobs\":[null,\"%\",\"%%%\"]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Wait\",\"jobs\":[\"99999999999999\"]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Clean\",\"jobs\":[\"\\u0000\"]}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Continue\",\"job\":\"%\",\"steal\":true}"));
        inputs.add(frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"name\":\"a b\"}"));
        inputs.add(frame("[".repeat(100_000)));
        for (byte[] input : inputs) {
            Message answer = answerTo(input);
            if (answer != null && !(answer instanceof Event.Results)) {
                assertInstanceOf(Event.Error.class, answer, () -> "answer to " + show(input));
            }
        }
        // the requests about waiting jobs refuse nonsense with a reason, never with an internal error
        for (String body : List.of(
                "{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"after\":[null],\"detached\":true}",
                "{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"after\":[\"\"],\"detached\":true}",
                "{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"startAt\":\"soon\",\"detached\":true}",
                "{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"queue\":\"a b\",\"detached\":true}",
                "{\"v\":3,\"type\":\"Request.Queue\",\"name\":\"q\",\"parallel\":-5}",
                "{\"v\":3,\"type\":\"Request.Queue\",\"parallel\":2}",
                "{\"v\":3,\"type\":\"Request.Queue\",\"name\":\"never\"}",
                "{\"v\":3,\"type\":\"Request.Start\"}",
                "{\"v\":3,\"type\":\"Request.Start\",\"job\":\"%\"}",
                "{\"v\":3,\"type\":\"Request.Rerun\"}",
                "{\"v\":3,\"type\":\"Request.Rerun\",\"job\":\"99\"}")) {
            Message answer = answerTo(frame(body));
            Event.Error refused = assertInstanceOf(Event.Error.class, answer, body);
            assertTrue(refused.kind() != Event.ErrorKind.INTERNAL, body + ": " + refused.message());
        }
        // an absurd window size is clamped, not fatal
        assertInstanceOf(Event.Background.class, answerTo(
                frame("{\"v\":3,\"type\":\"Request.Run\",\"command\":[\"true\"],\"rows\":99999999,\"cols\":-5,\"detached\":true,\"cwd\":\"/\"}")));
        await().atMost(Duration.ofSeconds(20)).until(() -> listJobs().stream()
                .allMatch(j -> j.state() == jobs.protocol.JobInfo.JobStateName.FINISHED));
        stillRunsAJob();
    }

    @Test
    void aFloodOfIdleConnectionsIsServedAndReleased() throws Exception {
        List<AFUNIXSocket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) flood.add(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(daemon.paths.socket())));
            assertTrue(listJobs().isEmpty());
            stillRunsAJob();
        } finally {
            for (AFUNIXSocket s : flood) s.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Probe.fdsExceptPollers() <= fdsBefore + 2);
    }

    /**
     * Timeline: 200 connections each announce a frame of the maximum size and send one byte of
     * it, then wait. A daemon that reserved the announced size up front would hold 200 MB.
     */
    @Test
    void announcedButUnsentFramesDoNotReserveMemory() throws Exception {
        long before = Probe.heapMb();
        List<AFUNIXSocket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(daemon.paths.socket()));
                slow.add(s);
                s.getOutputStream().write(ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME).put((byte) '{').array());
            }
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> Probe.heapMb() < before + 64);
            stillRunsAJob();
        } finally {
            for (AFUNIXSocket s : slow) s.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Probe.fdsExceptPollers() <= fdsBefore + 2);
    }

    /** Thousands of generated frames, seeded so that a failure can be replayed. */
    @Test
    void seededFuzz() throws Exception {
        long seed = Long.getLong("fuzz.seed", 4242L);
        Random random = new Random(seed);
        long before = Probe.heapMb();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        int sent = 0;
        for (; sent < 3000 && System.nanoTime() < deadline; sent++) {
            byte[] input = Fuzz.input(random);
            Message answer = answerTo(input);
            if (answer != null && !(answer instanceof Event.Error) && !(answer instanceof Event.JobList)) {
                throw new AssertionError("seed " + seed + ", frame " + sent + ": " + show(input) + " -> " + answer);
            }
        }
        assertTrue(sent >= 500, "only " + sent + " frames in the time allowed");
        assertTrue(listJobs().isEmpty(), "fuzz started jobs: " + listJobs());
        assertTrue(Probe.heapMb() < before + 64, "heap grew");
        String fdsAtStart = fdTargetsBefore;
        await().atMost(Duration.ofSeconds(20)).alias("descriptors back to baseline")
                .until(() -> Probe.fdsExceptPollers() <= fdsBefore + 2 || fail(fdsAtStart));
        stillRunsAJob();
    }

    // ---- helpers ----

    private static boolean fail(String before) {
        System.out.println("fds before: " + before + "\nfds now: " + Probe.fdTargets());
        return false;
    }

    static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /** Sends input on a fresh connection, ends our side, returns the first answer or null (closed). */
    private Message answerTo(byte[] input) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.paths.socket()))) {
            try {
                ch.write(ByteBuffer.wrap(input));
                ch.shutdownOutput();
            } catch (IOException closedEarly) {
                // the daemon may hang up before reading everything
            }
            InputStream in = Channels.newInputStream(ch);
            Future<Message> answer = READER.submit(() -> {
                try {
                    return Frames.read(in);
                } catch (IOException reset) {
                    return null;
                }
            });
            try {
                return answer.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no answer and no close for " + show(input));
            }
        }
    }

    private static String show(byte[] input) {
        String s = new String(input, 0, Math.min(input.length, 200), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private List<jobs.protocol.JobInfo> listJobs() throws IOException {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs();
        }
    }

    private void stillRunsAJob() throws IOException {
        try (TestClient c = daemon.client()) {
            assertInstanceOf(Event.Running.class, c.run(List.of("sh", "-c", "echo alive")));
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(0, f.exitCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.output().contains("alive"));
        }
    }
}
