package jobs.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file side of a {@link DiskLog}: the bytes on disk, the cut that keeps them under the cap and
 * the marks of what was lost. Not thread-safe on its own: every method but {@link #unavailable()}
 * runs under the DiskLog's {@code io} lock, on the store's writer thread or a reader's snapshot.
 */
final class LogFile {
    private static final Logger log = LoggerFactory.getLogger(LogFile.class);

    private final LogStore store;
    private final int jobId;
    private final Path file;
    private final MarksFile marksFile;
    private final long cap;
    /** The file exists already: open it for appending, never create it. */
    private boolean exists;
    private FileChannel channel;
    /** Stream offsets of the file's first byte and of the byte after its last. */
    private long start;
    private long end;
    private long lostBeforeStart;
    private final List<DiskLog.Mark> marks = new ArrayList<>();
    /** Why nothing can be written, once that is so: read without the lock by the pty reader. */
    private volatile String unavailable;
    private boolean complaining;

    LogFile(LogStore store, int jobId, Path file, long cap, boolean exists, String unavailable) {
        this.store = store;
        this.jobId = jobId;
        this.file = file;
        this.marksFile = file == null ? null : new MarksFile(file);
        this.cap = cap;
        this.exists = exists;
        this.unavailable = unavailable;
    }

    String unavailable() {
        return unavailable;
    }

    long start() { return start; }
    long end() { return end; }
    long lostBeforeStart() { return lostBeforeStart; }
    List<DiskLog.Mark> marks() { return marks; }

    /** A channel of its own for a reader, or null when there is no file to read. */
    FileChannel openForReading() throws IOException {
        return unavailable == null && exists ? FileChannel.open(file, StandardOpenOption.READ) : null;
    }

    boolean ensureOpen() {
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
                channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                exists = true;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            unavailable = "cannot write " + file + ": " + why(e);
            DiskLog.warn(log, jobId, "job {}: no output history: {}", jobId, unavailable);
            return false;
        }
    }

    void append(byte[] b, int off, int len) {
        if (!ensureOpen()) {
            if (unavailable == null) lost(len, "the disk refused it");
            return;
        }
        long written = 0;
        try {
            if (end - start + len > cap) cut(len);
            int skip = (int) Math.max(0, len - cap);
            ByteBuffer buf = ByteBuffer.wrap(b, off + skip, len - skip);
            while (buf.hasRemaining()) written += channel.write(buf);
            end += len;
            if (skip > 0) start = end - cap;
            store.grew(len - skip);
            if (complaining) {
                complaining = false;
                DiskLog.inJobContext(jobId, () -> log.info("job {}: its log {} is written again", jobId, file));
            }
        } catch (IOException | RuntimeException e) {
            end += written;
            store.grew(written);
            lost(len - written, "the disk refused it: " + why(e));
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
        try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE,
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

    void lost(long bytes, String why) {
        if (bytes <= 0) return;
        DiskLog.Mark last = marks.isEmpty() ? null : marks.getLast();
        DiskLog.Mark m = last != null && last.at() == end && last.why().equals(why)
                ? new DiskLog.Mark(end, last.bytes() + bytes, why) : new DiskLog.Mark(end, bytes, why);
        if (m.bytes() > bytes) marks.set(marks.size() - 1, m);
        else marks.add(m);
        if (!complaining) {
            complaining = true;
            DiskLog.warn(log, jobId, "job {}: output dropped from its log {}: {}", jobId, file, why);
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

    /** The total cap removed this finished job's log. */
    void delete(String why) {
        unavailable = why;
        try {
            close();
            Files.deleteIfExists(file);
            marksFile.delete();
        } catch (IOException e) {
            DiskLog.warn(log, jobId, "job {}: cannot remove its log {}: {}", jobId, file, why(e));
        }
    }

    void close() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // the bytes are written; a failed close loses nothing
        } finally {
            channel = null;
        }
    }

    /**
     * The last bytes of a job's log file, at most max; none when there is no file or it cannot
     * be read (what they are used for is a nicety, not worth failing an adoption for).
     */
    static byte[] tail(Path file, int max) {
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

    private static String why(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) m = f.getReason();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
