package jobs.history;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * One job's output history, in a file of its own. The pty reader only hands bytes over
 * ({@link #offer}: a copy into a bounded queue, never a disk access); the {@link LogStore}'s
 * writer thread writes them. When the queue is full (a slow or hung disk) or a write fails (a
 * full disk), the bytes are dropped and a mark records where and how many, for readers.
 *
 * <p>Positions are offsets in the stream of bytes ever appended, so that marks stay true when
 * the file is cut: past the cap, the file is rewritten with its newest half. The cut and the
 * marks are kept beside the file ({@code NAME.marks}), so a later daemon can reopen the log.
 * The file and its marks are {@link LogFile}'s; this class is the queue in front of it.
 *
 * <p>Locks: {@code io} (the file; held by the writer per item and by readers taking a
 * snapshot), then {@code queue}. The pty reader takes only {@code queue}. The queue copies into
 * recycled {@link Pages}, so that streaming output allocates nothing per read.
 */
public final class DiskLog {
    /** Bytes one job may have waiting for the writer; beyond, its output is dropped. */
    static final long MAX_QUEUED = 4L << 20;
    /** Queued bytes that wake the writer at once rather than at its next round. */
    static final long WRITE_AT_ONCE = 16 * 1024;
    static final String SLOW = "the disk did not keep up";

    /** Dropped bytes waiting in the queue; consecutive drops grow the same gap. */
    static final class Gap {
        long bytes;
        final String why;

        Gap(long bytes, String why) {
            this.bytes = bytes;
            this.why = why;
        }
    }

    /** Output waiting in the queue: {@code len} bytes of a page, from {@code off}. */
    private record Piece(byte[] page, int off, int len) {}

    /** {@code bytes} of output were lost just before stream offset {@code at}. */
    public record Mark(long at, long bytes, String why) {}

    private final LogStore store;
    private final Path file;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queued;
    private boolean scheduled;
    /**
     * The page the next piece is copied into, after the {@code tailUsed} bytes already queued
     * there. The pieces of one page are next to each other in the queue (a gap ends the page), so
     * the writer gives a page back when it has written the last of them.
     */
    private byte[] tailPage;
    private int tailUsed;
    private final Runnable drainTask = this::drain;
    /** The drain asked for may wait for the writer's next round. */
    private boolean soon;

    private final ReentrantLock io = new ReentrantLock();
    private final LogFile disk;
    private volatile boolean finished;

    DiskLog(LogStore store, int jobId, Path file, long cap, boolean reopened, String unavailable) {
        this.store = store;
        this.file = file;
        this.disk = new LogFile(store, jobId, file, cap, reopened, unavailable);
    }

    public Path file() {
        return file;
    }

    /** Where the history is, for users: null when there is none to be had. */
    public Path fileIfKept() {
        return disk.unavailable() == null ? file : null;
    }

    /**
     * The last bytes of a job's log file, at most max; none when there is no file or it cannot
     * be read (what they are used for is a nicety, not worth failing an adoption for).
     */
    public static byte[] tail(Path file, int max) {
        return LogFile.tail(file, max);
    }

    // ---- the pty reader's side: never waits for the disk ----

    void offer(byte[] b, int off, int len) {
        if (disk.unavailable() != null || len == 0) return;
        queueLock.lock();
        try {
            if (queued + len > MAX_QUEUED || !store.reserve(len)) {
                tailPage = null;
                Object last = queue.peekLast();
                if (last instanceof Gap g && g.why.equals(SLOW)) g.bytes += len;
                else queue.addLast(new Gap(len, SLOW));
            } else {
                queue.addLast(copy(b, off, len));
                queued += len;
            }
            scheduleLocked();
        } finally {
            queueLock.unlock();
        }
    }

    /** Into the tail page when it has room, else into a fresh one (a long piece gets its own). */
    private Piece copy(byte[] b, int off, int len) {
        if (len > Pages.SIZE) return new Piece(Arrays.copyOfRange(b, off, off + len), 0, len);
        if (tailPage == null || Pages.SIZE - tailUsed < len) {
            tailPage = store.pages().take();
            tailUsed = 0;
        }
        System.arraycopy(b, off, tailPage, tailUsed, len);
        Piece p = new Piece(tailPage, tailUsed, len);
        tailUsed += len;
        return p;
    }

    /**
     * A little output (a keystroke's echo) waits for the writer's next round; more is written
     * at once, also when a round was already asked for.
     */
    private void scheduleLocked() {
        if (queued >= WRITE_AT_ONCE) {
            if (scheduled && !soon) return;
            scheduled = true;
            soon = false;
            store.schedule(drainTask);
        } else if (!scheduled) {
            scheduled = true;
            soon = true;
            store.scheduleSoon(drainTask);
        }
    }

    // ---- the writer thread's side ----

    /** Creates (or reopens) the file ahead of the first output, so that its path exists. */
    void open() {
        io.lock();
        try {
            disk.ensureOpen();
        } finally {
            io.unlock();
        }
    }

    /** Writes what is queued, a bounded amount per turn so that other jobs' logs get theirs. */
    void drain() {
        long budget = 1 << 20;
        while (budget > 0) {
            io.lock();
            try {
                Object item;
                queueLock.lock();
                try {
                    item = queue.peekFirst();
                    if (item == null) {
                        scheduled = false;
                        soon = false;
                        return;
                    }
                    if (item instanceof Gap) queue.pollFirst();
                } finally {
                    queueLock.unlock();
                }
                if (item instanceof Gap g) {
                    disk.lost(g.bytes, g.why);
                    budget -= 4096;
                } else {
                    // the pty reader may meanwhile copy into the same page, but only after this piece
                    Piece p = (Piece) item;
                    disk.append(p.page, p.off, p.len);
                    queueLock.lock();
                    try {
                        queue.pollFirst();
                        queued -= p.len;
                        giveBackIfDone(p.page);
                    } finally {
                        queueLock.unlock();
                    }
                    store.release(p.len);
                    budget -= p.len;
                }
            } finally {
                io.unlock();
            }
        }
        store.schedule(drainTask);
    }

    /** After a piece of page left the queue: the page goes back unless a later piece is on it. */
    private void giveBackIfDone(byte[] page) {
        if (queue.peekFirst() instanceof Piece next && next.page == page) return;
        if (page == tailPage) {
            if (!queue.isEmpty()) return;
            tailPage = null;
        }
        store.pages().give(page);
    }

    /** The log's size on disk; the writer thread's view. */
    long size() {
        return disk.end() - disk.start();
    }

    boolean finished() {
        return finished;
    }

    void markFinished() {
        finished = true;
    }

    /** The total cap removed this finished job's log. */
    void delete(String why) {
        io.lock();
        try {
            disk.delete(why);
        } finally {
            io.unlock();
        }
    }

    // ---- readers ----

    /**
     * What is kept, from the file and from the queue, at one instant. {@code then} runs at that
     * instant, with publishing and the queue locked: a follower registers there, so it misses
     * nothing after it.
     */
    History snapshotThen(ReentrantLock publishing, Runnable then) throws IOException {
        io.lock();
        try {
            // opened before publishing is held: the pty reader must never wait on a file system
            FileChannel read = disk.openForReading();
            List<Mark> all = new ArrayList<>(disk.marks());
            List<byte[]> pending = new ArrayList<>();
            long end = disk.end();
            publishing.lock();
            queueLock.lock();
            try {
                long at = end;
                for (Object item : queue) {
                    if (item instanceof Gap g) {
                        all.add(new Mark(at, g.bytes, g.why));
                    } else {
                        Piece p = (Piece) item;
                        pending.add(Arrays.copyOfRange(p.page, p.off, p.off + p.len));
                        at += p.len;
                    }
                }
                then.run();
            } finally {
                queueLock.unlock();
                publishing.unlock();
            }
            return new History(disk.unavailable(), disk.start(), disk.start() + disk.lostBeforeStart(), read, end, all,
                    pending);
        } finally {
            io.unlock();
        }
    }

    void close() {
        io.lock();
        try {
            disk.close();
        } finally {
            io.unlock();
        }
    }

    /** The writer thread serves every job: each line names its job in the log's job field too. */
    static void warn(Logger to, int jobId, String format, Object... args) {
        inJobContext(jobId, () -> to.warn(format, args));
    }

    static void inJobContext(int jobId, Runnable r) {
        MDC.put("job", Integer.toString(jobId));
        try {
            r.run();
        } finally {
            MDC.remove("job");
        }
    }
}
