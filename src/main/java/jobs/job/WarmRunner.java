package jobs.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import jobs.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A runner started before its job: session leader of its own pty, connected back to the daemon
 * and waiting for its Start. It is waiting (connected, unclaimed) until one job claims it; a
 * runner that dies or is discarded before that is dead, and its pool starts another.
 *
 * <p>The thread that serves its connection blocks in a read the whole time it waits: the runner
 * says nothing before Start, so that read ends either with end-of-file (it died) or with its
 * job's first report, and the same thread then serves the job's runner events.
 */
public final class WarmRunner {
    private static final Logger log = LoggerFactory.getLogger(WarmRunner.class);

    private enum Phase { STARTING, WAITING, CLAIMED, DEAD }

    private final int number;
    private final String token;
    private final JobPty pty;
    private final long startedNanos = System.nanoTime();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    /** True once connected, false if it died or was discarded first. */
    private final CompletableFuture<Boolean> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> dead = new CompletableFuture<>();
    /** Its job, from the claim; null if the claimer gave up. */
    private final CompletableFuture<Job> job = new CompletableFuture<>();
    private volatile Connection link;

    private WarmRunner(int number, String token, JobPty pty) {
        this.number = number;
        this.token = token;
        this.pty = pty;
    }

    /**
     * Starts a runner in a pty of the default size, in {@code /} so that it keeps no directory
     * busy, with an environment taken from {@code env} as a job's runner takes it from the job's.
     */
    public static WarmRunner start(int number, String token, List<String> runnerArgv, Map<String, String> env)
            throws IOException {
        WarmRunner w = new WarmRunner(number, token, JobPty.start(runnerArgv, env, Path.of("/"), 24, 80));
        Thread.ofVirtual().name("warm-" + number + " exit").start(w::watchExit);
        return w;
    }

    public int number() { return number; }
    public long pid() { return pty.runnerPid(); }
    public long ageNanos() { return System.nanoTime() - startedNanos; }
    public CompletableFuture<Boolean> connected() { return connected; }
    /** Completes when it died or was discarded before any job claimed it. */
    public CompletableFuture<Void> dead() { return dead; }

    /** Constant-time, as for a job's runner token. */
    public boolean proves(String given) {
        return RunnerTokens.same(token, given);
    }

    /** Runs on the runner's connection thread until the runner or its job is gone. */
    public void serve(Connection conn) {
        link = conn;
        if (!phase.compareAndSet(Phase.STARTING, Phase.WAITING)) return;
        connected.complete(true);
        Message first;
        try {
            first = conn.read();
        } catch (IOException e) {
            first = null;
        }
        if (die()) {
            // died waiting, or spoke before its Start: either way it is of no use
            log.info("warm runner {} (pid {}) ended while waiting", number, pid());
            return;
        }
        // discarded or found dead by its exit watch meanwhile: no job will ever come
        if (phase.get() != Phase.CLAIMED) return;
        Job j = job.join();
        if (j == null) return;
        MDC.put("job", Integer.toString(j.id()));
        Thread.currentThread().setName("job-" + j.id() + " runner");
        j.runnerEvents.serve(conn, first);
    }

    /**
     * Takes this runner for a job if it is still waiting for one. {@link Job#adopt} and then
     * {@link #hand} must follow: until its hand, the runner's connection thread waits for it.
     */
    public boolean claim() {
        return phase.compareAndSet(Phase.WAITING, Phase.CLAIMED);
    }

    /** Ends it unless a job has it. */
    public void discard() {
        die();
    }

    JobPty pty() {
        return pty;
    }

    /** Gives the claimed runner its job's Start; null gives the runner up. Called once. */
    public void hand(Job j) {
        job.complete(j);
        if (j == null) {
            pty.close();
            return;
        }
        try {
            j.runnerEvents.sendStart(link);
        } catch (IOException e) {
            // died just as it was claimed: its connection's end tells the job so
            log.warn("warm runner {} did not take its Start: {}", number, e.getMessage());
        }
    }

    private void watchExit() {
        pty.awaitExit();
        die();
    }

    private boolean die() {
        Phase p;
        do {
            p = phase.get();
            if (p == Phase.CLAIMED || p == Phase.DEAD) return false;
        } while (!phase.compareAndSet(p, Phase.DEAD));
        pty.close();
        connected.complete(false);
        dead.complete(null);
        return true;
    }
}
