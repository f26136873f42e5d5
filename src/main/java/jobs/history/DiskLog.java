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
 * snapshot), then {@code queue}. The pty reader takes only {@code queue}.
 */
public final class DiskLog {
    /** Bytes one job may have waiting for the writer; beyond, its output is dropped. */
    static final long MAX_QUEUED = 4L << 20;
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

    /** {@code bytes} of output were lost just before stream offset {@code at}. */
    public record Mark(long at, long bytes, String why) {}

    private final LogStore store;
    private final Path file;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queued;
    private boolean scheduled;

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
                Object last = queue.peekLast();
                if (last instanceof Gap g && g.why.equals(SLOW)) g.bytes += len;
                else queue.addLast(new Gap(len, SLOW));
            } else {
                queue.addLast(Arrays.copyOfRange(b, off, off + len));
                queued += len;
            }
            scheduleLocked();
        } finally {
            queueLock.unlock();
        }
    }

    private void scheduleLocked() {
        if (scheduled) return;
        scheduled = true;
        store.schedule(this::drain);
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
                    byte[] chunk = (byte[]) item;
                    disk.append(chunk);
                    queueLock.lock();
                    try {
                        queue.pollFirst();
                        queued -= chunk.length;
                    } finally {
                        queueLock.unlock();
                    }
                    store.release(chunk.length);
                    budget -= chunk.length;
                }
            } finally {
                io.unlock();
            }
        }
        store.schedule(this::drain);
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
                        pending.add((byte[]) item);
                        at += ((byte[]) item).length;
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
