package jobs.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Message;
import jobs.protocol.Request;
import jobs.protocol.RunnerMessage;
import org.slf4j.LoggerFactory;

/**
 * Loads the frame codec's classes (ours and gson's) on the daemon's main thread, before any
 * connection is served. A class first loaded by a virtual thread is loaded with the thread pinned
 * to its carrier (the JVM calls the class loader from native code); with two carriers, two such
 * threads waiting on the class-loading and jar-file locks while the holder of a lock they need
 * waited for a carrier deadlocked a daemon that had just adopted its jobs, in CI. Every
 * connection encodes and decodes frames, so these classes are the ones many threads race to load.
 */
final class CodecWarmUp {
    private CodecWarmUp() {}

    static void run() {
        JobInfo info = new JobInfo(1, 2, List.of("x"), JobInfo.JobStateName.RUNNING, false, null, null,
                "2026-01-01T00:00:00Z");
        List<Message> samples = List.of(
                new Request.ListJobs(),
                new Request.Continue(1, false, true, 24, 80, null, false, true),
                new Request.Run(List.of("x"), Map.of("A", "b"), "/", 24, 80, false, null),
                new Request.Resize(24, 80),
                new Event.Running(1, 2, List.of("x"), 0),
                new Event.Stopped(1, List.of("x")),
                new Event.Finished(1, List.of("x"), 0, null),
                new Event.JobList(List.of(info), List.of(1)),
                new Event.Error(Event.ErrorKind.NOT_FOUND, "x"),
                Event.Output.of(new byte[] {'x'}, 0, 1),
                new RunnerMessage.Adopted(1),
                new RunnerMessage.Attached(true),
                new RunnerMessage.Output("eA=="),
                RunnerMessage.Report.running(2));
        try {
            for (Message m : samples) Frames.read(new ByteArrayInputStream(Frames.encode(m)));
        } catch (IOException | RuntimeException e) {
            // only a head start: the same classes load later, as before
            LoggerFactory.getLogger(CodecWarmUp.class).warn("codec warm-up failed: {}", e.toString());
        }
    }
}
