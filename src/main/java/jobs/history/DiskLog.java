package jobs.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's output history, in a file of its own. The pty reader only hands bytes over
 * ({@link #offer}: a copy into a bounded queue, never a disk access); the {@link LogStore}'s
 * writer thread writes them. When the queue is full (a slow or hung disk) or a write fails (a
 * full disk), the bytes are dropped and a mark records where and how many, for readers.
 *
 * <p>Positions are offsets in the stream of bytes ever appended, so that marks stay true when
 * the file is cut: past the cap, the file is rewritten with its newest half. The cut and the
 * marks are kept beside the file ({@code NAME.marks}), so a later daemon can reopen the log.
 *
 * <p>Locks: {@code io} (the file; held by the writer per item and by readers taking a
 * snapshot), then {@code queue}. The pty reader takes only {@code queue}.
 */
public final class DiskLog {
    private static final Logger log = LoggerFactory.getLogger(DiskLog.class);
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
    private final int jobId;
    private final Path file;
    private final MarksFile marksFile;
    private final long cap;
    /** The file exists already: open it for appending, never create it. */
    private boolean exists;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queued;
    private boolean scheduled;
    /** Set once the file cannot be written at all: offers are dropped at once. */
    private volatile String refused;

    private final ReentrantLock io = new ReentrantLock();
    private FileChannel channel;
    private long start;
    private long end;
    private long lostBeforeStart;
    private final List<Mark> marks = new ArrayList<>();
    private String unavailable;
    private boolean complaining;
    private volatile boolean finished;

    DiskLog(LogStore store, int jobId, Path file, long cap, boolean reopened, String unavailable) {
        this.store = store;
        this.jobId = jobId;
        this.file = file;
        this.marksFile = file == null ? null : new MarksFile(file);
        this.cap = cap;
        this.exists = reopened;
        this.unavailable = unavailable;
        this.refused = unavailable;
    }

    public Path file() {
        return file;
    }

    /** Where the history is, for users: null when there is none to be had. */
    public Path fileIfKept() {
        return refused == null ? file : null;
    }

    /**
     * The last bytes of a job's log file, at most max; none when there is no file or it cannot
     * be read (what they are used for is a nicety, not worth failing an adoption for).
     */
    public static byte[] tail(Path file, int max) {
        if (file == null) return new byte[0];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(max, size));
            long at = size - b.capacity();
            while (b.hasRemaining()) {
                int n = ch.read(b, at + b.position());
                if (n < 0) break;
            }
            return Arrays.copyOf(b.array(), b.position());
        } catch (IOException e) {
            return new byte[0];
        }
    }

    // ---- the pty reader's side: never waits for the disk ----

    void offer(byte[] b, int off, int len) {
        if (refused != null || len == 0) return;
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
            ensureOpen();
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
                    lost(g.bytes, g.why);
                    budget -= 4096;
                } else {
                    byte[] chunk = (byte[]) item;
                    append(chunk);
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

    private boolean ensureOpen() {
        if (channel != null) return true;
        if (unavailable != null) return false;
        try {
            if (exists) {
                channel = appendable(file);
                if (end == 0) {
                    MarksFile.Saved saved = marksFile.read();
                    start = saved.start();
                    lostBeforeStart = saved.lostBeforeStart();
                    marks.addAll(saved.marks());
                    end = start + channel.size();
                }
            } else {
                channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                exists = true;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            unavailable = "cannot write " + file + ": " + why(e);
            refused = unavailable;
            warn("job {}: no output history: {}", jobId, unavailable);
            return false;
        }
    }

    private void append(byte[] chunk) {
        if (!ensureOpen()) {
            if (unavailable == null) lost(chunk.length, "the disk refused it");
            return;
        }
        long written = 0;
        try {
            if (end - start + chunk.length > cap) cut(chunk.length);
            int skip = (int) Math.max(0, chunk.length - cap);
            ByteBuffer buf = ByteBuffer.wrap(chunk, skip, chunk.length - skip);
            while (buf.hasRemaining()) written += channel.write(buf);
            end += chunk.length;
            if (skip > 0) start = end - cap;
            store.grew(chunk.length - skip);
            if (complaining) {
                complaining = false;
                inJobContext(() -> log.info("job {}: its log {} is written again", jobId, file));
            }
        } catch (IOException | RuntimeException e) {
            end += written;
            store.grew(written);
            lost(chunk.length - written, "the disk refused it: " + why(e));
        }
    }

    /**
     * Makes room for {@code incoming} bytes within the cap: the file is rewritten with its
     * newest bytes only, so that it holds at least half the cap afterwards (a copy per half
     * cap written, not one per write), then put in place of the old one in one rename.
     */
    private void cut(long incoming) throws IOException {
        long size = end - start;
        long keep = Math.min(size, Math.max(0, cap / 2 - incoming));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            long from = size - keep;
            long done = 0;
            while (done < keep) done += channel.transferTo(from + done, keep - done, out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        store.grew(keep - size);
        start = end - keep;
        marks.removeIf(m -> {
            if (m.at() > start) return false;
            lostBeforeStart += m.bytes();
            return true;
        });
        marksFile.rewrite(start, lostBeforeStart, marks);
        FileChannel old = channel;
        // if the open fails, the next write opens it again (ensureOpen)
        channel = null;
        old.close();
        channel = appendable(file);
    }

    private void lost(long bytes, String why) {
        if (bytes <= 0) return;
        Mark last = marks.isEmpty() ? null : marks.getLast();
        Mark m = last != null && last.at() == end && last.why().equals(why)
                ? new Mark(end, last.bytes() + bytes, why) : new Mark(end, bytes, why);
        if (m.bytes() > bytes) marks.set(marks.size() - 1, m);
        else marks.add(m);
        if (!complaining) {
            complaining = true;
            warn("job {}: output dropped from its log {}: {}", jobId, file, why);
        }
        if (m.bytes() == bytes) marksFile.append(m);
        else marksFile.rewrite(start, lostBeforeStart, marks);
    }

    /** Read and write, at the end: APPEND cannot be combined with READ, which cut's copy needs. */
    private static FileChannel appendable(Path p) throws IOException {
        FileChannel c = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        c.position(c.size());
        return c;
    }

    /** The log's size on disk; the writer thread's view. */
    long size() {
        return end - start;
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
            unavailable = why;
            refused = why;
            if (channel != null) channel.close();
            channel = null;
            Files.deleteIfExists(file);
            marksFile.delete();
        } catch (IOException e) {
            warn("job {}: cannot remove its log {}: {}", jobId, file, why(e));
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
            FileChannel read = unavailable == null && exists ? FileChannel.open(file, StandardOpenOption.READ) : null;
            List<Mark> all = new ArrayList<>(marks);
            List<byte[]> pending = new ArrayList<>();
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
            return new History(unavailable, start, start + lostBeforeStart, read, end, all, pending);
        } finally {
            io.unlock();
        }
    }

    /** The writer thread serves every job: each line names its job in the log's job field too. */
    private void warn(String format, Object... args) {
        inJobContext(() -> log.warn(format, args));
    }

    private void inJobContext(Runnable r) {
        org.slf4j.MDC.put("job", Integer.toString(jobId));
        try {
            r.run();
        } finally {
            org.slf4j.MDC.remove("job");
        }
    }

    private static String why(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) m = f.getReason();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    void close() {
        io.lock();
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // the bytes are written; a failed close loses nothing
        } finally {
            channel = null;
            io.unlock();
        }
    }
}
