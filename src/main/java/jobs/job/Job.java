package jobs.job;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jobs.history.DiskLog;
import jobs.history.JobOutput;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.RunnerMessage;
import org.slf4j.MDC;

/**
 * One job: its pty, its runner and the three directions that move bytes and events between them
 * and the attached client, each a loop on a virtual thread of its own ({@link PtyToClient},
 * {@link ClientToPty}, {@link RunnerEvents}). The directions share only {@link JobState}.
 */
public final class Job {
    // package-private: the parts that the three directions work with
    final JobSpec spec;
    private final String token;
    /** Derives the token a runner shows a later daemon (RunnerTokens.adoption); null: not adoptable. */
    final byte[] adoptionSecret;
    private final Instant startedAt;
    private final Runnable onGone;
    final JobState state;
    final JobPty pty;
    final JobOutput output;
    final Repaint repaint;
    final RunnerOrders runner = new RunnerOrders();
    final CompletableFuture<RunnerMessage.Report> started = new CompletableFuture<>();
    final ProcessGroup group = new ProcessGroup();
    final Announcements announcements;
    final PtyToClient ptyToClient = new PtyToClient(this);
    final RunnerEvents runnerEvents = new RunnerEvents(this);

    private Job(JobSpec spec, String token, JobPty pty, long backlogBytes, Runnable onGone, JobServices services,
                DiskLog diskLog, byte[] adoptionSecret, Instant startedAt) {
        this.spec = spec;
        this.token = token;
        this.adoptionSecret = adoptionSecret;
        this.startedAt = startedAt;
        this.state = new JobState(spec.id(), spec.command(), backlogBytes);
        this.pty = pty;
        this.onGone = onGone;
        this.repaint = new Repaint(pty);
        this.output = new JobOutput(services.logs(), diskLog);
        this.announcements = new Announcements(spec, startedAt, group, output, services.unattended());
    }

    /**
     * Starts the runner in a new pty and the thread that reads the pty. The job's command starts
     * once the runner has connected back with {@code token} and received it; {@link #started()}
     * tells how that went. With an adoption secret, the job outlives this daemon (see {@link #takeOver}).
     */
    public static Job launch(JobSpec spec, List<String> runnerArgv, String token, long backlogBytes,
                             Runnable onGone, JobServices services, byte[] adoptionSecret) throws IOException {
        JobPty pty = JobPty.start(runnerArgv, spec.env(), spec.cwd(), spec.rows(), spec.cols());
        Job job = new Job(spec, token, pty, backlogBytes, onGone, services, services.logs().create(spec.id()),
                adoptionSecret, Instant.now());
        job.ptyToClient.start();
        return job;
    }

    /**
     * As {@link #launch}, in the pty of a runner claimed from the daemon's pool, which the pty
     * is sized for now. The job starts when {@link WarmRunner#hand} gives the runner its Start,
     * so the job starts with the client's size (and once the caller has registered it).
     */
    public static Job adopt(JobSpec spec, WarmRunner warm, long backlogBytes, Runnable onGone, JobServices services,
                            byte[] adoptionSecret) {
        try {
            warm.pty().resize(spec.rows(), spec.cols());
            Job job = new Job(spec, null, warm.pty(), backlogBytes, onGone, services,
                    services.logs().create(spec.id()), adoptionSecret, Instant.now());
            job.ptyToClient.start();
            return job;
        } catch (RuntimeException | Error e) {
            warm.hand(null);
            throw e;
        }
    }

    /**
     * The job of a runner that a previous daemon started and that came back with its Adopt and
     * its pty master: same id, command, pid, start time and state. This is the one way an
     * adopted job is made, so whatever follows every job (a log file, say) hooks in here as in
     * {@link #launch}. The caller registers it, answers Adopted and then calls
     * {@link #serveAdopted}. Output the job wrote meanwhile waits in the pty and is read then.
     */
    public static Job takeOver(RunnerMessage.Adopt a, int masterFd, long runnerPid, long backlogBytes,
                               long clientHoldMillis, Runnable onGone, JobServices services, byte[] adoptionSecret)
            throws IOException {
        JobSpec spec = new JobSpec(a.jobId(), a.command() == null ? List.of("?") : a.command(), a.env(),
                Path.of("/"), 24, 80, a.name());
        Job job = new Job(spec, null, JobPty.adopted(masterFd, runnerPid), backlogBytes, onGone, services,
                services.logs().resume(a.jobId()), adoptionSecret, RunnerEvents.startedAt(a));
        job.runnerEvents.adopted(a, TimeUnit.MILLISECONDS.toNanos(clientHoldMillis));
        return job;
    }

    /**
     * Output a previous daemon read but nobody saw (RunnerMessage.Output after Adopt): it goes
     * before anything still in the pty, so {@link #serveAdopted} starts reading the pty only after.
     */
    public void seed(byte[] older) { ptyToClient.seed(older); }

    /** Reads the pty and serves an adopted job's runner (see takeOver) until its end or its loss. */
    public void serveAdopted(Connection conn) { runnerEvents.serveAdopted(conn); }

    /** Runs on the runner connection's thread until the runner reports the end or goes away. */
    public void serveRunner(Connection conn) { runnerEvents.serve(conn); }

    public int id() { return spec.id(); }
    public long runnerPid() { return pty.runnerPid(); }
    public List<String> command() { return spec.command(); }
    /** What its runner's Hello must carry; null for a job whose runner came from the pool (no Hello). */
    public String token() { return token; }
    public CompletableFuture<RunnerMessage.Report> started() { return started; }
    /** The working directory it started in ("/" for a job adopted after a crash: its runner does not say). */
    public Path cwd() { return spec.cwd(); }
    /** The environment of the {@code jobs run} that started it. */
    public Map<String, String> env() { return spec.env(); }
    /** The name given with {@code run --name}, or null. */
    public String name() { return spec.name(); }
    /** Its output history and followers ({@code jobs log}). */
    public JobOutput output() { return output; }
    /** Larger means ended later; 0 while the job lives. */
    public long endOrder() { return state.view().endOrder(); }
    public long recency() { return state.view().recency(); }
    /** Started with -d: it is now the most recent background job. */
    public void markBackground() { state.touch(); }
    public Event.Finished finishedEvent() { return state.finished(); }
    public boolean hasEnded() { return state.view().phase() == JobInfo.JobStateName.FINISHED; }

    public JobInfo info() {
        JobState.View v = state.view();
        Path log = output.logFile();
        return new JobInfo(spec.id(), group.pid(), spec.command(), v.phase(), v.attached(), v.exitCode(), v.signal(),
                startedAt.toString(), v.lost(), spec.name(), v.endedAt() == null ? null : v.endedAt().toString(),
                log == null ? null : log.toString());
    }

    /** Carries out a transition's I/O, then releases what an ended job no longer needs. */
    void settle(Outcome o) {
        o.apply();
        tellRunnerAttachment();
        if (o.ended()) {
            pty.close();
            Event.Finished f = state.finished();
            output.ended(f);
            if (o.finish() == null) announcements.ended(f);
        }
        if (o.delivered()) onGone.run();
    }

    /** Called after each change that may attach or detach a client: see RunnerOrders.attached. */
    void tellRunnerAttachment() {
        runner.attached(state.clientAttached());
    }

    public enum AttachResult { ATTACHED, BUSY, GONE }

    /**
     * Attaches a client: sends it Running with the data socket, replays the backlog if asked,
     * and starts the client-to-pty thread; the caller then serves the control connection with
     * {@link #serveControl}. With {@code steal}, a client attached in another terminal is told
     * {@link Event.TakenOver} and let go instead of refusing this one; {@code returning}: the
     * client that was attached when the previous daemon went.
     */
    public AttachResult attach(Connection control, boolean fetchOutput, boolean steal, boolean returning, int rows,
                               int cols) throws IOException {
        try {
            return ClientToPty.attach(this, control, fetchOutput, steal, returning, rows, cols);
        } finally {
            tellRunnerAttachment();
        }
    }

    /** Serves Resize requests on an attached client's control connection until it closes. */
    public void serveControl(Connection control) { ClientToPty.sizes(this, control); }

    public enum BackgroundResult { RUNNING, BUSY, FINISHED }

    /** {@code continue -d}: a stopped job is resumed with no client; a finished one leaves the table. */
    public BackgroundResult background() {
        JobState.BackgroundResult r = state.background();
        if (r == JobState.BackgroundResult.RESUME) runner.resume();
        if (r == JobState.BackgroundResult.FINISHED) onGone.run();
        return switch (r) {
            case RESUME, ALREADY_RUNNING -> BackgroundResult.RUNNING;
            case BUSY -> BackgroundResult.BUSY;
            case FINISHED -> BackgroundResult.FINISHED;
        };
    }

    /** {@code jobs clean}: a finished, unattached job leaves the table; false if it cannot. */
    public boolean collect() {
        if (!state.collect()) return false;
        onGone.run();
        return true;
    }

    /**
     * restart-server: stops reading the pty (what the job writes from now on waits there for
     * the next daemon) and gives the runner what was read but not seen by anyone, in frames of
     * RunnerMessage.Output. The job itself is left alone.
     */
    public void handOver() {
        ptyToClient.stop();
        runner.handOver(state.takeUnseen());
    }

    /** As when a terminal closes: SIGHUP, and SIGCONT so that a stopped job can act on it. */
    public void hangUp() { inLogContext(group::hangUp); }

    /** Lets go of an adopted job that this daemon could not take after all: the runner keeps it. */
    public void abandon() { pty.close(); }

    public void kill() {
        inLogContext(() -> {
            group.send(Signals.SIGKILL);
            pty.killRunner();
            pty.close();
        });
    }

    /** {@code jobs kill}: the signal to the job's process group (see ProcessGroup.sendOnRequest). */
    public void signal(int signal) {
        inLogContext(() -> group.sendOnRequest(signal, state.view().phase() == JobInfo.JobStateName.STOPPED));
    }

    /**
     * Runs r with this job's id on its log lines, then gives the caller's context back: the
     * daemon-wide threads (kill-server) act on many jobs in turn.
     */
    public void inLogContext(Runnable r) {
        String before = MDC.get("job");
        MDC.put("job", Integer.toString(spec.id()));
        try {
            r.run();
        } finally {
            if (before == null) MDC.remove("job");
            else MDC.put("job", before);
        }
    }
}
