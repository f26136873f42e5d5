package jobs.daemon;

import jobs.job.JobServices;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jobs.config.AdoptionWaits;
import jobs.config.RuntimePaths;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.job.RunnerTokens;
import jobs.posix.Fd;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Jobs that outlive their daemon. Each live job has a file {@code runners/ID} holding its
 * runner's pid; a daemon that starts after a crash reads them, so that it hands out no id that
 * a surviving job still has (ids go on after the highest), and so that list and continue can
 * wait a moment (at most {@link AdoptionWaits#settleMillis}) until those runners are back. A runner comes
 * back with {@link RunnerMessage.Adopt} and its pty master; it is taken in only with a token
 * derived from the user's secret, its id and its pid as the kernel reports it.
 */
final class Adoptions {
    private static final Logger log = LoggerFactory.getLogger(Adoptions.class);

    private final RuntimePaths paths;
    private final JobTable table;
    private final byte[] secret;
    private final long backlogBytes;
    private final AdoptionWaits waits;
    private final long settleBy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Jobs of a previous daemon whose runners are alive but not back yet: id to runner pid. */
    private final Map<Integer, Long> expected = new HashMap<>(); // guarded by lock

    private final JobServices services;

    Adoptions(RuntimePaths paths, JobTable table, byte[] secret, long backlogBytes, AdoptionWaits waits,
              JobServices services) {
        this.waits = waits;
        this.settleBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waits.settleMillis());
        this.services = services;
        this.paths = paths;
        this.table = table;
        this.secret = secret;
        this.backlogBytes = backlogBytes;
    }

    byte[] secret() {
        return secret;
    }

    /** At start: the ids of jobs whose runners survived the previous daemon. */
    void recall() {
        Path dir = paths.runners();
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) recall(f);
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}", dir, e.toString());
        }
        lock.lock();
        try {
            if (!expected.isEmpty()) log.info("waiting for the runners of jobs {}", expected.keySet());
        } finally {
            lock.unlock();
        }
    }

    private void recall(Path f) throws IOException {
        int id;
        long pid;
        try {
            id = Integer.parseInt(f.getFileName().toString());
            pid = Long.parseLong(Files.readString(f).trim());
        } catch (NumberFormatException | IOException e) {
            Files.deleteIfExists(f);
            return;
        }
        if (id <= 0 || !alive(pid)) {
            Files.deleteIfExists(f);
            return;
        }
        table.reserve(id);
        lock.lock();
        try {
            expected.put(id, pid);
        } finally {
            lock.unlock();
        }
    }

    /** A job is in the table: a later daemon must know of it. */
    void started(int id, long runnerPid) {
        try {
            Files.writeString(paths.runners().resolve(Integer.toString(id)), Long.toString(runnerPid));
        } catch (IOException e) {
            log.warn("cannot record the runner of job {}: {}", id, e.toString());
        }
    }

    /** A job left the table. */
    void gone(int id) {
        try {
            Files.deleteIfExists(paths.runners().resolve(Integer.toString(id)));
        } catch (IOException e) {
            log.warn("cannot forget the runner of job {}: {}", id, e.toString());
        }
    }

    /** A runner's Adopt: take its job in and serve its runner on this thread. */
    void arrived(RunnerMessage.Adopt a, Connection conn) throws IOException {
        int master = conn.takeDescriptor();
        int id = a.jobId();
        long pid = conn.peerPid();
        if (master < 0 || id <= 0 || !RunnerTokens.same(RunnerTokens.adoption(secret, id, pid), a.token())) {
            log.warn("refused to adopt job {} from pid {}: {}", id, pid, master < 0 ? "no pty" : "bad token");
            if (master >= 0) Fd.closeRaw(master);
            return;
        }
        MDC.put("job", Integer.toString(id));
        Thread.currentThread().setName("job-" + id + " runner");
        Job job = Job.takeOver(a, master, pid, backlogBytes, waits.clientHoldMillis(), () -> {
            table.remove(id);
            gone(id);
        }, services, secret);
        try {
            receivePending(job, a.pendingBytes(), conn);
        } catch (IOException e) {
            job.abandon(); // the runner tries again with everything it has
            throw e;
        }
        synchronized (table) {
            if (table.get(id).isPresent()) {
                log.warn("refused to adopt job {} from pid {}: the id is taken", id, pid);
                job.abandon();
                return;
            }
            table.reserve(id);
            table.add(job);
        }
        started(id, pid);
        lock.lock();
        try {
            expected.remove(id);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("adopted job {} (pid {}, runner {}, {}): {}", id, a.pid(), pid, a.state(), a.command());
        conn.send(new RunnerMessage.Adopted(id));
        job.serveAdopted(conn);
    }

    /** The output a restarting daemon left with the runner: it comes right after Adopt. */
    private static void receivePending(Job job, long pendingBytes, Connection conn) throws IOException {
        long left = pendingBytes;
        while (left > 0) {
            if (!(conn.read() instanceof RunnerMessage.Output out) || out.base64() == null) {
                throw new IOException("runner sent less output than it announced");
            }
            byte[] b;
            try {
                b = java.util.Base64.getDecoder().decode(out.base64());
            } catch (IllegalArgumentException e) {
                throw new IOException("runner sent malformed output");
            }
            job.seed(b);
            left -= b.length;
        }
    }

    /**
     * Waits until every surviving runner is back, or has died, or the start's grace is over:
     * a list or continue right after a crash then sees every job.
     */
    void awaitSettled() {
        lock.lock();
        try {
            awaitWhile(() -> !expected.isEmpty(), settleBy);
        } finally {
            lock.unlock();
        }
    }

    /** Jobs whose runners outlived the previous daemon and are alive, but not back yet. */
    List<Integer> notBack() {
        lock.lock();
        try {
            forgetTheDead();
            return expected.keySet().stream().sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the job of that id survived the previous daemon and its runner is alive but not back yet. */
    boolean expects(int id) {
        lock.lock();
        try {
            return expected.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /** kill-server: no job is left for a later daemon. */
    void forgetAll() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(paths.runners())) {
            for (Path f : files) Files.deleteIfExists(f);
        } catch (IOException e) {
            log.warn("cannot clear {}: {}", paths.runners(), e.toString());
        }
    }

    /**
     * A client that was attached when the previous daemon went waits for its own job's runner,
     * past the general settle: a runner that is slow to come back (a loaded machine, a paused
     * laptop) must not cost the user the session that rode out the crash. Returns as soon as the
     * runner is back, or dead, or no runner of that id was left.
     */
    void awaitRunnerOf(int id) {
        lock.lock();
        try {
            if (expected.containsKey(id)) log.info("a returning client waits for the runner of job {}", id);
            awaitWhile(() -> expected.containsKey(id),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waits.clientWaitMillis()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * With the lock held: waits while a runner it expects is alive and not back, until the
     * deadline. Runners that died meanwhile are dropped (they will never come), and the arrival
     * of a runner is signalled; the 100 ms rounds catch the deaths, which nothing signals.
     */
    private void awaitWhile(BooleanSupplier waiting, long deadlineNanos) {
        try {
            while (true) {
                forgetTheDead();
                long left = deadlineNanos - System.nanoTime();
                if (!waiting.getAsBoolean() || left <= 0) return;
                arrived.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forgetTheDead() {
        expected.values().removeIf(pid -> !alive(pid));
    }

    private static boolean alive(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }
}
