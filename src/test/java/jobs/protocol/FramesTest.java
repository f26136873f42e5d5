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
    @Test
    void everyMessageRoundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : SampleMessages.ALL) Frames.write(out, m);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (Message m : SampleMessages.ALL) assertEquals(m, Frames.read(in));
        assertNull(Frames.read(in));
    }

    /** The hand-written trees write what gson's reflective adapter wrote: old peers still understand. */
    @Test
    void wireFormatIsGsonsReflectiveOne() {
        com.google.gson.Gson reflective = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();
        for (Message m : SampleMessages.ALL) {
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
        assertEquals(kinds, SampleMessages.ALL.stream().map(Object::getClass).distinct().count());
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
        for (String body : List.of("not json", "[1,2]", "{}", "{\"v\":3}", "{\"v\":1,\"type\":\"Request.ListJobs\"}",
                "{\"v\":4,\"type\":\"Request.ListJobs\"}",
                "{\"v\":3,\"type\":\"Request.Nope\"}", "{\"v\":3,\"type\":\"Request.Resize\",\"rows\":\"many\"}",
                "{\"v\":3,\"type\":\"Event.Error\",\"kind\":\"NOPE\"}", "{\"v\":3,\"type\":\"Event.JobList\",\"jobs\":{}}",
                "{\"v\":3,\"type\":\"Request.Run\",\"env\":[]}", "{\"v\":3,\"type\":\"Request.ListJobs\"} {}",
                "{\"v\":3,\"type\":\"Request.Kill\",\"jobs\":\"3\"}", "{\"v\":3,\"type\":\"Event.Results\",\"failures\":7}",
                "{\"v\":3,\"type\":\"Event.JobList\",\"jobs\":[],\"notBack\":[\"x\"]}",
                "", "{\"v\":3,\"type\":\"Request.Run\",\"command\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")) {
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
        assertEquals(3, Json.PROTOCOL_VERSION);
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
