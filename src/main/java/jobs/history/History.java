package jobs.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Comparator;
import java.util.List;

/**
 * A job's output history as it was at one instant ({@link DiskLog#snapshot}): the bytes in the
 * file, then those still queued for it, and the marks of what was lost. Positions are the log's
 * stream offsets: the history runs from {@link #from} to {@link #to}.
 */
public final class History implements AutoCloseable {
    private final String unavailable;
    private final long from;
    private final long droppedBefore;
    private final FileChannel file;
    private final long fileEnd;
    private final List<DiskLog.Mark> marks;
    private final List<byte[]> pending;
    private final long to;

    History(String unavailable, long from, long droppedBefore, FileChannel file, long fileEnd,
            List<DiskLog.Mark> marks, List<byte[]> pending) {
        this.unavailable = unavailable;
        this.from = file == null ? fileEnd : from;
        this.droppedBefore = droppedBefore;
        this.file = file;
        this.fileEnd = fileEnd;
        this.marks = marks.stream().sorted(Comparator.comparingLong(DiskLog.Mark::at)).toList();
        this.pending = pending;
        this.to = fileEnd + pending.stream().mapToLong(b -> b.length).sum();
    }

    /** An empty history, with the reason there is none (null: nothing was written yet). */
    static History none(String why) {
        return new History(why, 0, 0, null, 0, List.of(), List.of());
    }

    /** Why there is no history (no disk log, a directory that cannot be written), or null. */
    public String unavailable() { return unavailable; }

    public long from() { return from; }

    public long to() { return to; }

    /** Bytes of the oldest output that the cap removed (or that were lost before it). */
    public long droppedBefore() { return droppedBefore; }

    public List<DiskLog.Mark> marks() { return marks; }

    /** Reads up to len bytes at stream offset pos; fewer at the end of a part; 0 at {@link #to}. */
    public int read(long pos, byte[] buf, int len) throws IOException {
        return read(pos, buf, 0, len);
    }

    private int read(long pos, byte[] buf, int bufOff, int len) throws IOException {
        if (pos < fileEnd) {
            ByteBuffer b = ByteBuffer.wrap(buf, bufOff, (int) Math.min(len, fileEnd - pos));
            int n = file.read(b, pos - from);
            if (n <= 0) throw new IOException("the log file is shorter than expected");
            return n;
        }
        long at = fileEnd;
        for (byte[] p : pending) {
            if (pos < at + p.length) {
                int off = (int) (pos - at);
                int n = Math.min(len, p.length - off);
                System.arraycopy(p, off, buf, bufOff, n);
                return n;
            }
            at += p.length;
        }
        return 0;
    }

    /**
     * Where the last {@code lines} lines begin, as tail -n counts them: a last line without its
     * newline counts as a line.
     */
    public long tailStart(int lines) throws IOException {
        if (lines <= 0) return to;
        byte[] buf = new byte[64 * 1024];
        long newlines = 0;
        long pos = to;
        while (pos > from) {
            long blockStart = Math.max(from, pos - buf.length);
            int len = (int) (pos - blockStart);
            readFully(blockStart, buf, len);
            for (int i = len - 1; i >= 0; i--) {
                // the newline that ends the last line does not start one
                if (buf[i] == '\n' && blockStart + i != to - 1 && ++newlines == lines) return blockStart + i + 1;
            }
            pos = blockStart;
        }
        return from;
    }

    private void readFully(long pos, byte[] buf, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = read(pos + done, buf, done, len - done);
            if (n <= 0) throw new IOException("the log ended early");
            done += n;
        }
    }

    @Override
    public void close() {
        if (file == null) return;
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing lost
        }
    }
}
