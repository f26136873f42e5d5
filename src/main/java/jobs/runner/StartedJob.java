package jobs.runner;

import java.time.Instant;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.Report;

/**
 * What the runner knows of its job for good: the daemon's Start, the job's pid and the pty
 * master it came with (or -1), and when it started. Everything a next daemon needs to take the
 * job over comes from here and the last report.
 */
record StartedJob(RunnerMessage.Start start, long pid, int master, Instant startedAt) {

    /** Without its own pty master (an older daemon, the AOT training) the job cannot outlive the daemon. */
    boolean adoptable() {
        return master >= 0 && start.adoptToken() != null && start.jobId() > 0;
    }

    /** The job as a next daemon must learn it; {@code last} is null while nothing was reported. */
    RunnerMessage.Adopt adopt(Report last, boolean attached, long unseenBytes) {
        RunnerMessage.ReportKind state = last == null ? RunnerMessage.ReportKind.RUNNING : last.kind();
        return new RunnerMessage.Adopt(start.jobId(), start.adoptToken(), start.command(), start.name(), pid, state,
                last == null ? null : last.exitCode(), last == null ? null : last.signal(), startedAt.toString(),
                attached, unseenBytes, RunnerMessage.CONTRACT, start.env());
    }
}
