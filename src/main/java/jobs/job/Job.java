package jobs.job;

import jobs.history.DiskLog;
import jobs.history.JobOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jobs.posix.Fd;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One job: its pty, its runner and the virtual threads that move bytes and events between them
 * and the attached client. The threads share only {@link JobState}.
 */
public final class Job {
    private static final Logger log = LoggerFactory.getLogger(Job.class);
    private static final String RUNNER_DIED = "its runner died";
    private static final long RUNNER_REPORT_GRACE_SECONDS = 5;
    /** A read at least this long suggests more output is queued behind it. */
    private static final int STREAMING_READ = 2048;

    private final int id;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path cwd;
    private final String token;
    /** Derives the token a runner shows a later daemon (RunnerTokens.adoption); null: not adoptable. */
    private final byte[] adoptionSecret;
    private final Instant startedAt;
    private final JobState state;
    private final JobPty pty;
    private final Runnable onGone;
    private final JobOutput output;
    private final Unattended.Listener unattended;
    private final CompletableFuture<RunnerMessage.Report> started = new CompletableFuture<>();
    private volatile boolean releasing;
    private final java.util.concurrent.CountDownLatch pumpStopped = new java.util.concurrent.CountDownLatch(1);
    private volatile long pid;
    private final RunnerOrders runner = new RunnerOrders();
    private final Repaint repaint;
    private volatile String name;

    private Job(int id, List<String> command, Map<String, String> env, Path cwd, String token,
                JobState state, JobPty pty, Runnable onGone, JobServices services, DiskLog diskLog,
                byte[] adoptionSecret, Instant startedAt) {
        this.id = id;
        this.command = List.copyOf(command);
        this.env = env;
        this.cwd = cwd;
        this.token = token;
        this.adoptionSecret = adoptionSecret;
        this.startedAt = startedAt;
        this.state = state;
        this.pty = pty;
        this.onGone = onGone;
        this.repaint = new Repaint(pty);
        this.output = new JobOutput(services.logs(), diskLog);
        this.unattended = services.unattended();
    }

    /**
     * Starts the runner in a new pty and the thread that reads the pty. The job's command starts
     * once the runner has connected back and received it; {@link #started()} tells how that went.
     */
    public static Job launch(int id, List<String> command, Map<String, String> env, Path cwd,
                             int rows, int cols, long backlogBytes, List<String> runnerArgv,
                             String token, Runnable onGone, JobServices services) throws IOException {
        return launch(id, command, env, cwd, rows, cols, backlogBytes, runnerArgv, token, onGone, services, null);
    }

    /** As above; with an adoption secret, the job outlives this daemon (see {@link #takeOver}). */
    public static Job launch(int id, List<String> command, Map<String, String> env, Path cwd,
                             int rows, int cols, long backlogBytes, List<String> runnerArgv,
                             String token, Runnable onGone, JobServices services, byte[] adoptionSecret)
            throws IOException {
        JobPty pty = JobPty.start(runnerArgv, env, cwd, rows, cols);
        Job job = new Job(id, command, env, cwd, token, new JobState(id, command, backlogBytes), pty, onGone,
                services, services.logs().create(id), adoptionSecret, Instant.now());
        Thread.ofVirtual().name("job-" + id + " pty>client").start(job::pumpPtyToClient);
        return job;
    }

    /**
     * As {@link #launch}, in the pty of a runner claimed from the daemon's pool, which the pty
     * is sized for now. The job starts when {@link WarmRunner#hand} gives the runner its Start,
     * so the job starts with the client's size (and once the caller has registered it).
     */
    public static Job adopt(int id, List<String> command, Map<String, String> env, Path cwd,
                            int rows, int cols, long backlogBytes, WarmRunner warm, Runnable onGone,
                            JobServices services) {
        return adopt(id, command, env, cwd, rows, cols, backlogBytes, warm, onGone, services, null);
    }

    /** As above; with an adoption secret, the job outlives this daemon (see {@link #takeOver}). */
    public static Job adopt(int id, List<String> command, Map<String, String> env, Path cwd,
                            int rows, int cols, long backlogBytes, WarmRunner warm, Runnable onGone,
                            JobServices services, byte[] adoptionSecret) {
        try {
            warm.pty().resize(rows, cols);
            Job job = new Job(id, command, env, cwd, null, new JobState(id, command, backlogBytes), warm.pty(), onGone,
                    services, services.logs().create(id), adoptionSecret, Instant.now());
            Thread.ofVirtual().name("job-" + id + " pty>client").start(job::pumpPtyToClient);
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
     * {@link #serveAdopted}. Output the job wrote meanwhile waits in the pty and is read now.
     */
    /** Enough of a log's end to hold a full-screen program's last switch of screens. */
    private static final int RECALLED_SCREEN_BYTES = 256 * 1024;

    public static Job takeOver(RunnerMessage.Adopt a, int masterFd, long runnerPid, long backlogBytes,
                               long clientHoldMillis, Runnable onGone, JobServices services, byte[] adoptionSecret) throws IOException {
        List<String> command = a.command() == null ? List.of("?") : a.command();
        Instant startedAt;
        try {
            startedAt = a.startedAt() == null ? Instant.now() : Instant.parse(a.startedAt());
        } catch (java.time.format.DateTimeParseException e) {
            startedAt = Instant.now();
        }
        JobPty pty = JobPty.adopted(masterFd, runnerPid);
        JobState state = new JobState(a.jobId(), command, backlogBytes);
        Map<String, String> env = a.env() == null ? Map.of() : a.env();
        Job job = new Job(a.jobId(), command, env, Path.of("/"), null, state, pty, onGone, services,
                services.logs().resume(a.jobId()), adoptionSecret, startedAt);
        job.name = a.name();
        job.pid = a.pid();
        job.repaint.adopted(DiskLog.tail(job.output.logFile(), RECALLED_SCREEN_BYTES));
        job.runner.adopted(a.contract(), a.attached());
        if (a.attached()) state.holdForReturningClient(TimeUnit.MILLISECONDS.toNanos(clientHoldMillis));
        job.started.complete(RunnerMessage.Report.running(a.pid()));
        RunnerMessage.ReportKind kind = a.state() == null ? RunnerMessage.ReportKind.RUNNING : a.state();
        switch (kind) {
            case STOPPED -> state.stopped();
            case EXITED, SIGNALED, SPAWN_FAILED -> state.ended(a.exitCode(), a.signal()).apply();
            case RUNNING -> { }
        }
        return job;
    }

    /**
     * Output a previous daemon read but nobody saw (RunnerMessage.Output after Adopt): it goes
     * before anything still in the pty, so {@link #serveAdopted} starts reading the pty only after.
     * It is in the disk log already (the previous daemon wrote it before it let go), so it goes to
     * the backlog and a client only.
     */
    public void seed(byte[] older) {
        repaint.output(older, 0, older.length);
        toClientOrBacklog(older, older.length);
    }

    /** Reads the pty and serves an adopted job's runner (see takeOver) until its end or its loss. */
    public void serveAdopted(Connection conn) {
        runner.serving(conn);
        tellRunnerAttachment();
        Thread.ofVirtual().name("job-" + id + " pty>client").start(this::pumpPtyToClient);
        if (hasEnded()) {
            // the runner brought the final status and leaves now: its going is no loss
            try {
                while (conn.read() != null) {
                    // nothing more is expected
                }
            } catch (IOException ignored) {
                // gone either way
            }
            conn.close();
            return;
        }
        Message first;
        try {
            first = conn.read();
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
            first = null;
        }
        serveRunner(conn, first);
    }

    public int id() { return id; }
    public long runnerPid() { return pty.runnerPid(); }
    public List<String> command() { return command; }
    /** What its runner's Hello must carry; null for a job whose runner came from the pool (no Hello). */
    public String token() { return token; }
    public CompletableFuture<RunnerMessage.Report> started() { return started; }
    /** The environment of the {@code jobs run} that started it. */
    public Map<String, String> env() { return env; }

    /** The name given with {@code run --name}, or null. */
    public String name() { return name; }
    /** Set once, before the job is in the daemon's table. */
    public void name(String name) { this.name = name; }

    /** Its output history and followers ({@code jobs log}). */
    public JobOutput output() { return output; }

    public JobInfo info() {
        JobState.View v = state.view();
        return new JobInfo(id, pid, command, v.phase(), v.attached(), v.exitCode(), v.signal(),
                startedAt.toString(), v.lost(), name, v.endedAt() == null ? null : v.endedAt().toString(),
                pathOrNull(output.logFile()));
    }

    /** Larger means ended later; 0 while the job lives. */
    public long endOrder() { return state.view().endOrder(); }

    public long recency() { return state.view().recency(); }

    /** Started with -d: it is now the most recent background job. */
    public void markBackground() { state.touch(); }

    // ---- runner control events ----

    /** Runs on the runner connection's thread until the runner reports the end or goes away. */
    public void serveRunner(Connection conn) {
        Message first;
        try {
            sendStart(conn);
            first = conn.read();
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
            first = null;
        }
        serveRunner(conn, first);
    }

    /**
     * With an adoption secret the pty master goes along, so that the runner holds it when this
     * daemon is gone, with the token that proves the runner to the next daemon.
     */
    void sendStart(Connection conn) throws IOException {
        if (adoptionSecret == null) {
            runner.start(conn, new RunnerMessage.Start(command, env, cwd.toString()), -1);
        } else {
            String adoptToken = RunnerTokens.adoption(adoptionSecret, id, pty.runnerPid());
            runner.start(conn, new RunnerMessage.Start(command, env, cwd.toString(), id, adoptToken, name),
                    pty.masterNumber());
        }
        tellRunnerAttachment();
    }

    /** Serves the runner's frames, the first of them already read, until its end or its loss. */
    void serveRunner(Connection conn, Message first) {
        boolean ended = false;
        try {
            for (Message m = first; m instanceof RunnerMessage.Report r; m = conn.read()) {
                ended = onReport(r);
                if (ended) break;
            }
        } catch (IOException e) {
            log.warn("runner connection failed: {}", e.getMessage());
        } finally {
            if (ended) {
                try {
                    conn.send(new RunnerMessage.Goodbye());
                } catch (IOException gone) {
                    // the runner has left already; it needed no word
                }
            }
            conn.close();
            if (!ended) runnerLost();
        }
    }

    private boolean onReport(RunnerMessage.Report r) {
        log.info("runner reports {}", r.kind());
        switch (r.kind()) {
            case RUNNING -> {
                if (!started.isDone()) {
                    pid = r.pid();
                    started.complete(r);
                } else {
                    state.continued();
                    repaint.continued();
                }
                return false;
            }
            case STOPPED -> {
                boolean attached = state.view().attached();
                if (state.stopped()) {
                    pty.master().wake();
                    if (!attached) {
                        announce("stopped", r.signal() == null ? "SIGTSTP" : Signals.name(r.signal()), r.signal(), null);
                    }
                }
                return false;
            }
            case EXITED, SIGNALED -> {
                settle(state.ended(r.exitCode(), r.signal()));
                pty.master().wake();
                return true;
            }
            case SPAWN_FAILED -> {
                started.complete(r);
                settle(state.ended(127, null));
                pty.master().wake();
                return true;
            }
        }
        return false;
    }

    /** A runner that vanished without a final report leaves an unmanaged job: end it. */
    private void runnerLost() {
        started.complete(null);
        if (pid > 0) {
            log.warn("runner lost ({}); killing process group {}", pty.runnerEnd(), pid);
            signalGroup(Signals.SIGKILL);
        }
        settle(state.ended(null, Signals.SIGKILL, RUNNER_DIED));
        pty.master().wake();
    }

    // ---- pty to client ----

    private void pumpPtyToClient() {
        try {
            pumpPty();
        } finally {
            pumpStopped.countDown();
        }
    }

    private void pumpPty() {
        org.slf4j.MDC.put("job", Integer.toString(id));
        byte[] buf = new byte[64 * 1024];
        Fd master = pty.master();
        try {
            while (!releasing) {
                long quiet = state.quietMillis();
                int n = master.read(buf, 0, buf.length, quiet);
                if (n > 0) {
                    deliver(buf, readMore(master, buf, n));
                } else if (n == Fd.EOF) {
                    runnerGone();
                    settle(state.drained(true));
                    return;
                } else if (quiet >= 0) {
                    JobState.Outcome o = state.drained(false);
                    settle(o);
                    if (o.ended()) return;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("pty reader failed: {}", e.toString());
            runnerGone();
            settle(state.drained(true));
        }
    }

    /**
     * A pty master hands out at most one line-discipline buffer (4 KiB) per read. While output
     * streams, gather what is already there into one write: fewer socket writes and fewer
     * wake-ups of the client. A short read means the job is quiet (a keystroke's echo): send it
     * at once. Stops without parking; an EOF seen here is seen again by the next read.
     */
    private static int readMore(Fd master, byte[] buf, int n) throws IOException {
        int last = n;
        while (last >= STREAMING_READ && buf.length - n >= STREAMING_READ) {
            last = master.read(buf, n, buf.length - n, 0);
            if (last <= 0) break;
            n += last;
        }
        return n;
    }

    /**
     * The pty's slave side is closed: the runner, its only holder until it starts the job, has
     * exited. One that never reported the start never will: say so soon, not at the start
     * timeout. Soon, not now: a runner whose job ended at once may have exited before the
     * daemon got round to reading its Hello and its report, which are waiting in the socket.
     */
    private void runnerGone() {
        if (started.isDone()) return;
        CompletableFuture.delayedExecutor(RUNNER_REPORT_GRACE_SECONDS, TimeUnit.SECONDS, Runnable::run).execute(() -> {
            if (started.complete(null)) {
                inLogContext(() -> log.warn("runner exited without starting the job"));
            }
        });
    }

    private void deliver(byte[] buf, int n) {
        repaint.output(buf, 0, n);
        output.publish(buf, 0, n);
        toClientOrBacklog(buf, n);
    }

    private void toClientOrBacklog(byte[] buf, int n) {
        Attachment a = state.output(buf, 0, n);
        if (a == null) return;
        try {
            a.writeOutput(buf, 0, n);
        } catch (IOException e) {
            state.outputFailed(a, buf, 0, n);
            tellRunnerAttachment();
        }
    }

    /** Carries out a transition's I/O, then releases what an ended job no longer needs. */
    private void settle(JobState.Outcome o) {
        o.apply();
        tellRunnerAttachment();
        if (o.ended()) {
            pty.close();
            Event.Finished f = state.finished();
            output.ended(f);
            if (o.finish() == null) {
                if (f.signal() != null) announce("killed", Signals.name(f.signal()), null, f);
                else announce("finished", Integer.toString(f.exitCode() == null ? 0 : f.exitCode()), null, f);
            }
        }
        if (o.delivered()) onGone.run();
    }

    /**
     * The one place that tells of an unattended end or stop. Not for a job that never started
     * (its client is told by run), and never delaying the caller: listeners return at once.
     */
    private void announce(String what, String status, Integer stopSignal, Event.Finished end) {
        if (pid <= 0) return;
        long seconds = java.time.Duration.between(startedAt, Instant.now()).toSeconds();
        try {
            unattended.happened(new Unattended(id, name == null ? "" : name, command, what, status, seconds,
                    output.logFile(), stopSignal, end, env == null ? Map.of() : env));
        } catch (RuntimeException e) {
            log.warn("unattended-event listener failed", e);
        }
    }

    private static String pathOrNull(Path p) {
        return p == null ? null : p.toString();
    }

    // ---- clients ----

    public enum AttachResult { ATTACHED, BUSY, GONE }

    /**
     * Attaches a client: sends it Running with the data socket, replays the backlog if asked,
     * and starts the client-to-pty thread. The caller then serves the control connection with
     * {@link #serveControl}.
     */
    public AttachResult attach(Connection control, boolean fetchOutput, int rows, int cols) throws IOException {
        return attach(control, fetchOutput, false, rows, cols);
    }

    /**
     * As {@link #attach(Connection, boolean, int, int)}; with {@code steal}, a client attached
     * in another terminal is told {@link Event.TakenOver} and let go instead of refusing this one.
     */
    public AttachResult attach(Connection control, boolean fetchOutput, boolean steal, int rows, int cols)
            throws IOException {
        return attach(control, fetchOutput, steal, false, rows, cols);
    }

    /** As above; {@code returning}: the client that was attached when the previous daemon went. */
    public AttachResult attach(Connection control, boolean fetchOutput, boolean steal, boolean returning, int rows,
                               int cols) throws IOException {
        try {
            return attachNow(control, fetchOutput, steal, returning, rows, cols);
        } finally {
            tellRunnerAttachment();
        }
    }

    private AttachResult attachNow(Connection control, boolean fetchOutput, boolean steal, boolean returning,
                                   int rows, int cols) throws IOException {
        pty.resize(rows, cols);
        int[] pair = Fd.socketPair();
        Fd data = Fd.adopt(pair[0]);
        Attachment a = new Attachment(control, data);
        byte[][] replay = new byte[1][];
        long[] dropped = new long[1];
        boolean[] wasStopped = new boolean[1];
        Attachment[] stolen = new Attachment[1];
        JobState.AttachResult r = state.attach(a, fetchOutput, steal, returning, replay, dropped, wasStopped, stolen);
        if (stolen[0] != null) {
            log.info("job taken over by another terminal");
            stolen[0].finish(new Event.TakenOver(id));
        }
        if (r != JobState.AttachResult.ATTACHED) {
            data.close();
            Fd.closeRaw(pair[1]);
            return r == JobState.AttachResult.BUSY ? AttachResult.BUSY : AttachResult.GONE;
        }
        try {
            try {
                control.sendWithDescriptor(new Event.Running(id, pid, command, dropped[0]), pair[1]);
            } finally {
                // at once, not after the replay: while this copy is open, a client that leaves
                // before reading it all never hangs the socket up, and the replay waits forever
                Fd.closeRaw(pair[1]);
            }
            data.writeFully(replay[0], 0, replay[0].length);
        } catch (IOException e) {
            log.info("client left while attaching: {}", e.getMessage());
            state.replayFailed(a, replay[0], dropped[0]);
            return AttachResult.ATTACHED;
        }
        settle(state.attached(a));
        Thread.ofVirtual().name("job-" + id + " client>pty").start(() -> pumpClientToPty(a));
        repaint.attached(wasStopped[0]);
        // only a stop from before this attachment: once the client has Running, its own Ctrl-Z
        // may already have stopped the job again, and resuming that would swallow it
        if (wasStopped[0]) resume();
        return AttachResult.ATTACHED;
    }

    private void pumpClientToPty(Attachment a) {
        org.slf4j.MDC.put("job", Integer.toString(id));
        byte[] buf = new byte[16 * 1024];
        try {
            while (true) {
                int n = a.data().read(buf, 0, buf.length);
                if (n == Fd.EOF) {
                    if (!a.isClosed()) log.info("client>pty: the client closed its data socket");
                    break;
                }
                if (n > 0) pty.master().writeFully(buf, 0, n);
            }
        } catch (IOException e) {
            // after the daemon let the client go this is the expected end; before, the keys stop
            // reaching the job while the client still shows it: worth a line in the log
            if (a.isClosed()) log.debug("client>pty ended: {}", e.getMessage());
            else log.info("client>pty ended while attached: {}", e.toString());
        } catch (RuntimeException e) {
            // whatever went wrong, the client must be let go, or the job stays "attached" forever
            log.warn("client>pty failed", e);
        }
        state.detach(a);
        tellRunnerAttachment();
    }

    /** Serves Resize requests on an attached client's control connection until it closes. */
    public void serveControl(Connection control) {
        try {
            while (true) {
                var m = control.read();
                if (m == null) break;
                if (m instanceof jobs.protocol.Request.Resize r) {
                    pty.resize(r.rows(), r.cols());
                } else {
                    control.send(new Event.Error(Event.ErrorKind.BAD_REQUEST,
                            "unexpected " + m.getClass().getSimpleName() + " on an attached connection"));
                }
            }
        } catch (IOException e) {
            log.debug("control connection ended: {}", e.getMessage());
        } finally {
            // also when something unexpected escapes: the job must not stay attached to nobody
            detachControl(control);
        }
    }

    private void detachControl(Connection control) {
        state.detachIfControl(control);
        tellRunnerAttachment();
    }

    /** Called after each change that may attach or detach a client: see RunnerOrders.attached. */
    private void tellRunnerAttachment() {
        runner.attached(state.clientAttached());
    }

    /** Asks the runner to give the job the terminal and SIGCONT it. */
    private void resume() {
        runner.resume();
    }

    public enum BackgroundResult { RUNNING, BUSY, FINISHED }

    public BackgroundResult background() {
        JobState.BackgroundResult r = state.background();
        switch (r) {
            case RESUME -> {
                runner.resume();
                return BackgroundResult.RUNNING;
            }
            case ALREADY_RUNNING -> { return BackgroundResult.RUNNING; }
            case BUSY -> { return BackgroundResult.BUSY; }
            default -> {
                onGone.run();
                return BackgroundResult.FINISHED;
            }
        }
    }

    public Event.Finished finishedEvent() {
        return state.finished();
    }

    // ---- shutdown ----

    /**
     * restart-server: stops reading the pty (what the job writes from now on waits there for
     * the next daemon) and gives the runner what was read but not seen by anyone, in frames of
     * RunnerMessage.Output. The job itself is left alone.
     */
    public void handOver() {
        releasing = true;
        pty.master().wake();
        try {
            if (!pumpStopped.await(2, TimeUnit.SECONDS)) log.warn("pty reader did not stop for the hand-over");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.handOver(state.takeUnseen());
    }

    /** As when a terminal closes: SIGHUP, and SIGCONT so that a stopped job can act on it. */
    public void hangUp() {
        inLogContext(() -> {
            signalGroup(Signals.SIGHUP);
            signalGroup(Signals.SIGCONT);
        });
    }

    /** Lets go of an adopted job that this daemon could not take after all: the runner keeps it. */
    public void abandon() {
        pty.close();
    }

    public void kill() {
        inLogContext(() -> {
            signalGroup(Signals.SIGKILL);
            pty.killRunner();
            pty.close();
        });
    }

    /**
     * Runs r with this job's id on its log lines, then gives the caller's context back: the
     * daemon-wide threads (kill-server) act on many jobs in turn.
     */
    public void inLogContext(Runnable r) {
        String before = MDC.get("job");
        MDC.put("job", Integer.toString(id));
        try {
            r.run();
        } finally {
            if (before == null) MDC.remove("job");
            else MDC.put("job", before);
        }
    }

    /**
     * {@code jobs kill}: the signal to the job's process group; a stopped job also gets SIGCONT,
     * or it could not act on it until someone continued it.
     */
    public void signal(int signal) {
        inLogContext(() -> {
            log.info("sending {} on request", Signals.name(signal));
            boolean stopped = state.view().phase() == JobInfo.JobStateName.STOPPED;
            signalGroup(signal);
            if (stopped && signal != Signals.SIGKILL && signal != Signals.SIGCONT) signalGroup(Signals.SIGCONT);
        });
    }

    /** {@code jobs clean}: a finished, unattached job leaves the table; false if it cannot. */
    public boolean collect() {
        if (!state.collect()) return false;
        onGone.run();
        return true;
    }

    public boolean hasEnded() {
        return state.view().phase() == JobInfo.JobStateName.FINISHED;
    }

    private void signalGroup(int signal) {
        long p = pid;
        if (p <= 0) return;
        try {
            Processes.kill(-p, signal);
        } catch (IOException e) {
            log.debug("kill {} {}: {}", -p, Signals.name(signal), e.getMessage());
        }
    }
}
