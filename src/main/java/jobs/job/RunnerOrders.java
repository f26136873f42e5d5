package jobs.job;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon tells a job's runner, over its connection once it has one: Start, Resume,
 * whether a client is attached, and the hand-over. It keeps two rules of the runner contract:
 * Start comes before anything else (the runner reads nothing else first), and a message goes
 * only to a runner whose contract has it (RunnerMessage.CONTRACT).
 */
final class RunnerOrders {
    private static final Logger log = LoggerFactory.getLogger(RunnerOrders.class);
    /** Unseen output per Output message on a hand-over: well under a frame's limit once in base64. */
    private static final int HAND_OVER_CHUNK = 256 * 1024;

    private volatile Connection conn;
    private volatile int contract = RunnerMessage.CONTRACT;
    /** Orders Start before Attached, and one Attached after another. */
    private final ReentrantLock lock = new ReentrantLock();
    private boolean toldAttached; // guarded by lock

    /** An adopted runner: what it understands and what it last heard. */
    void adopted(int runnerContract, boolean attached) {
        contract = runnerContract;
        toldAttached = attached;
    }

    /** The connection of a runner whose job this daemon starts; the Start (and master, if any) goes first. */
    void start(Connection runner, RunnerMessage.Start start, int master) throws IOException {
        lock.lock();
        try {
            conn = runner;
            if (master < 0) runner.send(start);
            else runner.sendWithDescriptor(start, master);
        } finally {
            lock.unlock();
        }
    }

    /** The connection of an adopted runner: it has its job already. */
    void serving(Connection runner) {
        conn = runner;
    }

    /**
     * Whether a client is attached now, so that after a crash the next daemon holds the job
     * for that client (RunnerMessage.Adopt.attached). Sends only a change.
     */
    void attached(boolean now) {
        Connection c = conn;
        if (c == null || contract < 2) return;
        lock.lock();
        try {
            if (now == toldAttached) return;
            c.send(new RunnerMessage.Attached(now));
            toldAttached = now;
        } catch (IOException e) {
            // the runner is gone or going: its Adopt, if any, says what it last heard
        } finally {
            lock.unlock();
        }
    }

    /** Give the job the terminal and SIGCONT it. */
    void resume() {
        Connection c = conn;
        if (c == null) return;
        try {
            c.send(new RunnerMessage.Resume());
        } catch (IOException e) {
            log.warn("cannot reach runner: {}", e.getMessage());
        }
    }

    /** restart-server: the output nobody saw, for the next daemon, then that the client starts it. */
    void handOver(byte[] unseen) {
        Connection c = conn;
        if (c == null) return;
        try {
            for (int off = 0; off < unseen.length; off += HAND_OVER_CHUNK) {
                int n = Math.min(HAND_OVER_CHUNK, unseen.length - off);
                c.send(new RunnerMessage.Output(Base64.getEncoder().encodeToString(Arrays.copyOfRange(unseen, off, off + n))));
            }
            if (contract >= 2) c.send(new RunnerMessage.HandingOver());
        } catch (IOException e) {
            log.warn("runner did not take the unseen output: {}", e.getMessage());
        }
    }
}
