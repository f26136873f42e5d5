package jobs.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of the jobs' output logs, and the one platform thread that writes them all, so
 * that no job's thread ever waits for the disk. It keeps the logs together under the total cap:
 * past it, the logs of the jobs that finished longest ago (those a previous daemon left first)
 * are removed; a live job's log never is.
 *
 * <p>File names start with the daemon's start time: a new daemon numbers its jobs from 1 again,
 * and its job 1 must not append to the last daemon's job 1.
 */
public final class LogStore {
    private static final Logger log = LoggerFactory.getLogger(LogStore.class);
    /** Bytes all jobs together may have waiting for the writer. */
    private static final long MAX_QUEUED_ALL = 64L << 20;
    static final String REMOVED = "its log was removed to keep all logs under log.total.bytes";

    private final Path dir;
    private final long cap;
    private final long totalCap;
    private final String unavailable;
    private final String prefix;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicLong queuedAll = new AtomicLong();
    /** Enough free pages for one job streaming while its last pages are being written. */
    private final Pages pages = new Pages(4);
    /** How long a little output may wait for the writer: one round for many keystrokes' echoes. */
    static final long SOON_MILLIS = 10;
    private static final Runnable WAKE = () -> { };
    /** Drains that may wait for the writer's next round (see {@link #scheduleSoon}). */
    private final ReentrantLock soonLock = new ReentrantLock();
    private final ArrayDeque<Runnable> soon = new ArrayDeque<>();
    /** The writer is blocked with nothing to do: only then does a drain that may wait wake it. */
    private boolean writerIdle;
    /** How often scheduleSoon had to wake the writer; for tests. */
    private long soonWakeups;

    // the writer thread's own
    private long total;
    /** Logs no live job writes to, the oldest first: Paths a previous daemon left, then DiskLogs. */
    private final Deque<Object> finished = new ArrayDeque<>();

    private LogStore(Path dir, long cap, long totalCap, String unavailable) {
        this.dir = dir;
        this.cap = cap;
        this.totalCap = totalCap;
        this.unavailable = unavailable;
        this.prefix = unavailable == null && cap > 0 ? freshPrefix(dir) : "";
    }

    /**
     * The store for dir (which the caller has made and checked). cap 0: no disk log at all;
     * a non-null {@code unavailable} says why dir cannot be used, and every job's history says so.
     */
    public static LogStore open(Path dir, long cap, long totalCap, String unavailable) {
        LogStore s = new LogStore(dir, cap, totalCap, unavailable);
        if (cap > 0 && unavailable == null) {
            s.tasks.add(s::scan);
            Thread.ofPlatform().daemon().name("log-writer").start(s::writeLoop);
        }
        return s;
    }

    /** A store that keeps nothing ({@code log.bytes=0}). */
    public static LogStore off() {
        return new LogStore(null, 0, 0, null);
    }

    /** This job's new log, or null when no disk log is kept. */
    public DiskLog create(int jobId) {
        if (cap == 0) return null;
        if (unavailable != null) return new DiskLog(this, jobId, null, cap, false, unavailable);
        DiskLog d = new DiskLog(this, jobId, dir.resolve(prefix + "job" + jobId + ".log"), cap, false, null);
        tasks.add(d::open);
        return d;
    }

    /**
     * The log of a job that a new daemon adopts: the previous daemon's file for this id (the
     * newest such file: an older one belongs to a job of an earlier daemon that had the same id),
     * appended to where it ended; a new one if there is none.
     */
    public DiskLog resume(int jobId) {
        if (cap == 0 || unavailable != null || dir == null) return create(jobId);
        String suffix = "-job" + jobId + ".log";
        Path newest = null;
        long newestTime = Long.MIN_VALUE;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (!n.endsWith(suffix) || n.startsWith(prefix)) continue;
                long t = java.nio.file.Files.getLastModifiedTime(p).toMillis();
                if (t > newestTime) {
                    newest = p;
                    newestTime = t;
                }
            }
        } catch (java.io.IOException e) {
            log.warn("cannot look for job {}'s earlier log: {}", jobId, e.getMessage());
        }
        return newest == null ? create(jobId) : reopen(jobId, newest);
    }

    /** An existing log that a job goes on writing to (a job adopted by a new daemon). */
    public DiskLog reopen(int jobId, Path file) {
        if (cap == 0) return null;
        if (unavailable != null) return new DiskLog(this, jobId, null, cap, true, unavailable);
        DiskLog d = new DiskLog(this, jobId, file, cap, true, null);
        tasks.add(() -> {
            finished.remove(file);
            d.open();
        });
        return d;
    }

    /** The job has ended: its log may go when the total is over the cap. */
    void finished(DiskLog d) {
        if (d == null || d.file() == null) return;
        d.markFinished();
        schedule(() -> {
            finished.addLast(d);
            d.close();
            trim();
        });
    }

    Pages pages() {
        return pages;
    }

    void schedule(Runnable task) {
        tasks.add(task);
    }

    /**
     * A drain that may wait up to {@link #SOON_MILLIS}: a keystroke's echo then costs the pty
     * reader no wake-up of the writer thread (a futex call, and a thread competing for the CPU
     * just as the echo goes out), and the writer writes the echoes of many keys at once. Only a
     * writer blocked with nothing to do is woken, and it then gathers for a round before writing.
     */
    void scheduleSoon(Runnable task) {
        soonLock.lock();
        try {
            soon.addLast(task);
            if (!writerIdle) return;
            writerIdle = false;
            soonWakeups++;
        } finally {
            soonLock.unlock();
        }
        tasks.add(WAKE);
    }

    long soonWakeups() {
        soonLock.lock();
        try {
            return soonWakeups;
        } finally {
            soonLock.unlock();
        }
    }

    boolean reserve(long bytes) {
        if (queuedAll.addAndGet(bytes) <= MAX_QUEUED_ALL) return true;
        queuedAll.addAndGet(-bytes);
        return false;
    }

    /**
     * Waits until every byte queued so far is in its file, for at most {@code millis}: a daemon
     * handing its jobs over (restart-server) leaves each log complete, for the next daemon to
     * append to. A drain that runs out of its turn queues itself again, hence the loop.
     */
    public boolean awaitWritten(long millis) {
        if (cap == 0 || unavailable != null) return true;
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                java.util.concurrent.CountDownLatch turn = new java.util.concurrent.CountDownLatch(1);
                tasks.add(turn::countDown);
                long left = end - System.nanoTime();
                if (left <= 0 || !turn.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) return false;
                if (queuedAll.get() == 0) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release(long bytes) {
        queuedAll.addAndGet(-bytes);
    }

    /** On the writer thread: the logs grew (or shrank) by delta bytes. */
    void grew(long delta) {
        total += delta;
        if (delta > 0 && total > totalCap) trim();
    }

    private void trim() {
        while (total > totalCap && !finished.isEmpty()) {
            Object oldest = finished.pollFirst();
            if (oldest instanceof DiskLog d) {
                total -= d.size();
                d.delete(REMOVED);
            } else {
                Path p = (Path) oldest;
                try {
                    total -= Files.size(p);
                    Files.deleteIfExists(p);
                    Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".marks"));
                } catch (IOException e) {
                    log.warn("cannot remove old log {}: {}", p, e.getMessage());
                }
            }
        }
    }

    /** Counts the logs a previous daemon left, the oldest first in line for removal. */
    private void scan() {
        record Old(Path path, long modified, long size) {}
        List<Old> old = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (name.endsWith(".log") && !name.startsWith(prefix) && Files.isRegularFile(p)) {
                    old.add(new Old(p, Files.getLastModifiedTime(p).toMillis(), Files.size(p)));
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", dir, e.getMessage());
        }
        old.sort(Comparator.comparingLong(Old::modified));
        // the first task of all: no job has finished yet, so these are the oldest
        for (Old o : old) {
            finished.addLast(o.path());
            total += o.size();
        }
        trim();
    }

    /**
     * Runs the tasks as they come, and the drains that may wait in rounds: after a round that had
     * some, it gathers for {@link #SOON_MILLIS} (still running other tasks at once) before the
     * next. Idle, it blocks until a task, or the first drain after it went idle, wakes it.
     */
    private void writeLoop() {
        boolean gathering = false;
        long roundAt = 0;
        while (true) {
            Runnable task;
            try {
                long left = roundAt - System.nanoTime();
                task = !gathering ? takeWhenIdle() : left > 0 ? tasks.poll(left, TimeUnit.NANOSECONDS) : tasks.poll();
            } catch (InterruptedException e) {
                return;
            }
            if (task != null && task != WAKE) run(task);
            if (task == WAKE || (gathering && System.nanoTime() - roundAt >= 0)) {
                List<Runnable> due = dueSoon();
                due.forEach(LogStore::run);
                gathering = !due.isEmpty();
                roundAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SOON_MILLIS);
            }
        }
    }

    /** Blocks for the next task; a drain that may wait but finds the writer here wakes it. */
    private Runnable takeWhenIdle() throws InterruptedException {
        soonLock.lock();
        try {
            if (!soon.isEmpty()) return WAKE;
            writerIdle = true;
        } finally {
            soonLock.unlock();
        }
        Runnable task = tasks.take();
        soonLock.lock();
        try {
            writerIdle = false;
        } finally {
            soonLock.unlock();
        }
        return task;
    }

    private List<Runnable> dueSoon() {
        soonLock.lock();
        try {
            List<Runnable> due = new ArrayList<>(soon);
            soon.clear();
            return due;
        } finally {
            soonLock.unlock();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("log writer", e);
        }
    }

    /** The daemon's start time, made unique among the names already in dir. */
    private static String freshPrefix(Path dir) {
        String base = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        for (int n = 1; ; n++) {
            String p = base + (n == 1 ? "" : "." + n) + "-";
            try (Stream<Path> files = Files.list(dir)) {
                if (files.noneMatch(f -> f.getFileName().toString().startsWith(p))) return p;
            } catch (IOException e) {
                return p;
            }
        }
    }
}
