package jobs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {

    static final List<Message> EVERY_MESSAGE = List.of(
            new Request.Run(List.of("sh", "-c", "echo 'hé' | cat"), Map.of("PATH", "/bin", "X", "y"), "/tmp", 24, 80, true),
            new Request.Continue(3, true, false, 30, 100),
            new Request.Continue(null, false, true, 0, 0),
            new Request.Continue(null, false, false, 24, 80, "build", true),
            new Request.Continue(4, false, true, 24, 80, null, false, true),
            new Request.Run(List.of("make"), Map.of(), "/src", 24, 80, false, "build"),
            new Request.Kill(List.of("3", "build", "%sl"), false, 1, 2500),
            new Request.Kill(List.of(), true, 15, 0),
            new Request.Wait(List.of("%2"), true),
            new Request.Wait(List.of(), false),
            new Request.Clean(List.of("4")),
            new Request.ListJobs(),
            new Request.KillServer(),
            new Request.RestartServer(),
            new Request.Resize(40, 120),
            new Request.Log("3", 0, false),
            new Request.Log("%vi", 20, true),
            new Event.Running(1, 1234, List.of("cat"), 17),
            new Event.Background(2, 99, List.of("sleep", "100")),
            new Event.Stopped(1, List.of("vim", "x")),
            new Event.Finished(1, List.of("sh"), 3, null),
            new Event.Finished(1, List.of("sh"), null, 15),
            new Event.Finished(1, List.of("sh"), null, 9, "its runner died"),
            new Event.JobList(List.of(new JobInfo(1, 5, List.of("top"), JobInfo.JobStateName.STOPPED, false, null, null, "2026-01-01T00:00:00Z"))),
            new Event.JobList(List.of(new JobInfo(2, 6, List.of("make"), JobInfo.JobStateName.FINISHED, false, 0, null,
                    "2026-01-01T00:00:00Z", null, "build", "2026-01-01T00:03:12Z"))),
            new Event.JobList(List.of(), List.of(3, 7)),
            new Event.Done(),
            new Event.TakenOver(4),
            new Event.Results(List.of("job 9 not found")),
            new Event.Results(List.of()),
            Event.Output.of(new byte[] {27, '[', '1', 'm', 0, (byte) 0xff, '\n'}, 0, 7),
            new Event.Notice("4096 bytes missing here: the disk did not keep up"),
            new Event.JobList(List.of(new JobInfo(2, 6, List.of("make"), JobInfo.JobStateName.FINISHED, false, 0, null,
                    "2026-01-01T00:00:00Z", null, null, null, "/home/u/.local/state/job-security/x-job2.log"))),
            new Event.Error(Event.ErrorKind.NOT_FOUND, "job 9 not found"),
            new RunnerMessage.Hello(7, "abc"),
            new RunnerMessage.Warm(3, "def"),
            new RunnerMessage.Start(List.of("cat"), Map.of("A", "b"), "/"),
            new RunnerMessage.Start(List.of("cat"), Map.of("A", "b"), "/", 4, "tok"),
            new RunnerMessage.Start(List.of("cat"), Map.of("A", "b"), "/", 4, "tok", "build"),
            new RunnerMessage.Adopt(4, "tok", List.of("sh", "-c", "x"), "build", 77, RunnerMessage.ReportKind.STOPPED,
                    null, null, "2026-12-05T09:00:00Z", true, 0),
            new RunnerMessage.Adopt(5, "tok", List.of("true"), null, 78, RunnerMessage.ReportKind.EXITED,
                    3, null, "2026-12-05T09:00:00Z", false, 5),
            new RunnerMessage.Adopt(6, "tok", List.of("cat"), null, 79, RunnerMessage.ReportKind.RUNNING,
                    null, null, "2026-12-05T09:00:00Z", true, 0, 2, Map.of("JOBS_SHELL_PID", "42")),
            new RunnerMessage.Attached(true),
            new RunnerMessage.Attached(false),
            new RunnerMessage.HandingOver(),
            new RunnerMessage.Output("aGVsbG8="),
            new RunnerMessage.Adopted(4),
            new RunnerMessage.Goodbye(),
            new RunnerMessage.Resume(),
            RunnerMessage.Report.running(5),
            RunnerMessage.Report.stopped(5, 20),
            RunnerMessage.Report.exited(5, 0),
            RunnerMessage.Report.signaled(5, 9),
            RunnerMessage.Report.spawnFailed(2));

    @Test
    void everyMessageRoundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : EVERY_MESSAGE) Frames.write(out, m);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (Message m : EVERY_MESSAGE) assertEquals(m, Frames.read(in));
        assertNull(Frames.read(in));
    }

    /** The hand-written trees write what gson's reflective adapter wrote: old peers still understand. */
    @Test
    void wireFormatIsGsonsReflectiveOne() {
        com.google.gson.Gson reflective = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();
        for (Message m : EVERY_MESSAGE) {
            com.google.gson.JsonObject o = reflective.toJsonTree(m).getAsJsonObject();
            o.addProperty("type", Json.typeName(m.getClass()));
            o.addProperty("v", Json.PROTOCOL_VERSION);
            assertEquals(reflective.toJson(o), Json.encode(m));
        }
    }

    /** Runners outlive daemons: a newer daemon must read an older runner's frames (RunnerMessage.Adopt). */
    @Test
    void runnerMessagesOfAnotherVersionAreRead() throws IOException {
        String adopt = "{\"jobId\":3,\"token\":\"t\",\"pid\":9,\"state\":\"STOPPED\",\"future\":1,"
                + "\"type\":\"RunnerMessage.Adopt\",\"v\":" + (Json.PROTOCOL_VERSION - 1) + "}";
        RunnerMessage.Adopt a = (RunnerMessage.Adopt) Json.decode(adopt);
        assertEquals(3, a.jobId());
        assertEquals(RunnerMessage.ReportKind.STOPPED, a.state());
        assertEquals(0, a.pendingBytes());
        assertEquals(new Request.RestartServer(),
                Json.decode("{\"type\":\"Request.RestartServer\",\"v\":" + (Json.PROTOCOL_VERSION + 1) + "}"));
        String request = "{\"type\":\"Request.ListJobs\",\"v\":" + (Json.PROTOCOL_VERSION + 1) + "}";
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Json.decode(request));
    }

    @Test
    void everyKindOfMessageIsCovered() {
        long kinds = Arrays.stream(Message.class.getPermittedSubclasses())
                .mapToLong(f -> f.getPermittedSubclasses().length).sum();
        assertEquals(kinds, EVERY_MESSAGE.stream().map(Object::getClass).distinct().count());
    }

    @Test
    void truncatedFramesFail() {
        byte[] frame = Frames.encode(new Request.ListJobs());
        for (int cut = 1; cut < frame.length; cut++) {
            byte[] part = Arrays.copyOf(frame, cut);
            assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(part)), "cut at " + cut);
        }
    }

    @Test
    void oversizedLengthIsRejectedBeforeAllocating() {
        byte[] header = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();
        IOException e = assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(header)));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        byte[] negative = ByteBuffer.allocate(4).putInt(-1).array();
        assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(negative)));
    }

    @Test
    void garbageWrongVersionAndUnknownTypesAreIOExceptions() {
        for (String body : List.of("not json", "[1,2]", "{}", "{\"v\":2}", "{\"v\":1,\"type\":\"Request.ListJobs\"}",
                "{\"v\":3,\"type\":\"Request.ListJobs\"}",
                "{\"v\":2,\"type\":\"Request.Nope\"}", "{\"v\":2,\"type\":\"Request.Resize\",\"rows\":\"many\"}",
                "{\"v\":2,\"type\":\"Event.Error\",\"kind\":\"NOPE\"}", "{\"v\":2,\"type\":\"Event.JobList\",\"jobs\":{}}",
                "{\"v\":2,\"type\":\"Request.Run\",\"env\":[]}", "{\"v\":2,\"type\":\"Request.ListJobs\"} {}",
                "{\"v\":2,\"type\":\"Request.Kill\",\"jobs\":\"3\"}", "{\"v\":2,\"type\":\"Event.Results\",\"failures\":7}",
                "{\"v\":2,\"type\":\"Event.JobList\",\"jobs\":[],\"notBack\":[\"x\"]}",
                "", "{\"v\":2,\"type\":\"Request.Run\",\"command\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")) {
            byte[] json = body.getBytes(StandardCharsets.UTF_8);
            byte[] frame = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
            assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(frame)), body);
        }
    }

    /** Version 1 is the protocol before kill, wait and names: its peers get one clear line. */
    @Test
    void anotherVersionIsAVersionMismatchThatSaysWhatToDo() throws IOException {
        byte[] json = "{\"v\":1,\"type\":\"Event.Done\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
        VersionMismatch e = assertThrows(VersionMismatch.class, () -> Frames.read(new ByteArrayInputStream(frame)));
        assertEquals(1, e.peerVersion());
        assertTrue(e.getMessage().contains("run 'jobs kill-server'"), e.getMessage());
        assertEquals(2, Json.PROTOCOL_VERSION);
        // the advice must work whichever side is older: a KillServer of any version is understood
        assertEquals(new Request.KillServer(), Json.decode("{\"type\":\"Request.KillServer\",\"v\":1}"));
        assertEquals(new String(e.killServerFrame(), StandardCharsets.UTF_8).substring(4),
                "{\"type\":\"Request.KillServer\",\"v\":1}");
    }

    @Test
    void runHidesTheEnvironmentFromLogs() {
        String s = new Request.Run(List.of("x"), Map.of("SECRET", "hunter2"), "/", 1, 1, false).toString();
        assertTrue(!s.contains("hunter2"), s);
    }
}
