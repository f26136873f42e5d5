package jobs.protocol;

import java.util.List;
import java.util.Map;

/**
 * One message of every kind the protocol has, most in several shapes (optional fields set and
 * not): the frame tests round-trip each of them, the daemon encodes and decodes them all before
 * it serves (CodecWarmUp) and the AOT training does the same so that the cache holds the codec.
 */
public final class SampleMessages {
    private SampleMessages() {}

    public static final List<Message> ALL = List.of(
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
}
