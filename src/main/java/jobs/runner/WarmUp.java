package jobs.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.posix.Executables;
import jobs.posix.Processes;
import jobs.posix.StandardStreams;
import jobs.posix.WaitStatus;
import jobs.protocol.Frames;
import jobs.protocol.Json;
import jobs.protocol.RunnerMessage;

/**
 * What a warm runner does while it waits for its job: the first time through the start path
 * loads classes, reflects over the message records and links the posix_spawn handles, which is
 * most of what a fresh runner spends between Start and the job's first instruction. Nothing here
 * may have an effect outside this process.
 */
final class WarmUp {
    private WarmUp() {}

    static void run() {
        try {
            Json.decode(Json.encode(new RunnerMessage.Start(List.of("true"), Map.of("PATH", "/bin"), "/")));
            Frames.encode(RunnerMessage.Report.running(1));
            if (WaitStatus.decode(0) instanceof WaitStatus.Exited e) Frames.encode(RunnerMessage.Report.exited(1, e.code()));
            Executables.resolve("sh", Executables.DEFAULT_PATH, Path.of("/"));
            Processes.prepareSpawn();
            StandardStreams.prepare();
        } catch (IOException | RuntimeException e) {
            // a cold path is slower, not wrong: the real start reports its own failures
        }
    }
}
