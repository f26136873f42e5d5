package jobs.daemon;

import jobs.history.DiskLog;
import jobs.history.History;
import jobs.history.Follower;
import java.io.IOException;
import java.util.List;
import jobs.job.Connection;
import jobs.job.Job;
import jobs.protocol.Event;
import jobs.protocol.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code jobs log [-n LINES] [-f]}: a job's history, with notices where output was dropped,
 * then (following) its live output until it ends. A follower never attaches: it may be slow or
 * stopped, and only it misses bytes (see {@link Follower}).
 */
final class LogRequests {
    private static final Logger log = LoggerFactory.getLogger(LogRequests.class);
    /** Raw bytes per Output frame: base64 makes it 64 KiB, well within a frame. */
    private static final int CHUNK = 48 * 1024;
    /** A follower waits this long for output before it looks again whether its client left. */
    private static final long WAIT_MILLIS = 60_000;

    private final JobTable table;

    LogRequests(JobTable table) {
        this.table = table;
    }

    void serve(Request.Log r, Connection conn) throws IOException {
        Job job;
        try {
            job = JobSelector.select(table, r.job() == null ? "" : r.job());
        } catch (JobSelector.NoSuchJob e) {
            conn.send(new Event.Error(Event.ErrorKind.NOT_FOUND, e.getMessage()));
            return;
        }
        MDC.put("job", Integer.toString(job.id()));
        Follower follower = r.follow() ? new Follower() : null;
        try {
            try (History h = job.output().history(follower)) {
                sendHistory(h, r.lines(), conn);
            }
            if (follower == null) conn.send(new Event.Done());
            else follow(job, follower, conn);
        } finally {
            if (follower != null) job.output().unfollow(follower);
        }
    }

    private static void sendHistory(History h, int lines, Connection conn) throws IOException {
        if (h.unavailable() != null) conn.send(new Event.Notice(h.unavailable()));
        long start = lines > 0 ? h.tailStart(lines) : lines < 0 ? h.to() : h.from();
        if (start == h.from() && h.droppedBefore() > 0) {
            conn.send(new Event.Notice("the oldest " + bytes(h.droppedBefore()) + " of output are gone (over log.bytes)"));
        }
        List<DiskLog.Mark> marks = h.marks().stream().filter(m -> m.at() > start || (m.at() == start && start == h.from())).toList();
        byte[] buf = new byte[CHUNK];
        long pos = start;
        int next = 0;
        while (pos < h.to() || next < marks.size()) {
            if (next < marks.size() && marks.get(next).at() <= pos) {
                DiskLog.Mark m = marks.get(next++);
                conn.send(new Event.Notice(bytes(m.bytes()) + " of output missing here: " + m.why()));
                continue;
            }
            long limit = next < marks.size() ? marks.get(next).at() : h.to();
            int n = h.read(pos, buf, (int) Math.min(buf.length, limit - pos));
            if (n <= 0) break;
            conn.send(Event.Output.of(buf, 0, n));
            pos += n;
        }
    }

    private static void follow(Job job, Follower f, Connection conn) throws IOException {
        // a client that leaves while the job is quiet: its EOF is the only sign
        Thread.ofVirtual().name("job-" + job.id() + " follower-eof").start(() -> {
            try {
                while (conn.read() != null) {
                    // a follower sends nothing; anything it does send is ignored
                }
            } catch (IOException ignored) {
                // gone all the same
            }
            f.close();
        });
        try {
            while (true) {
                Follower.Batch b = f.next(WAIT_MILLIS);
                if (b == null) {
                    if (f.isClosed()) return;
                    continue;
                }
                if (b.end() != null) {
                    conn.send(b.end());
                    return;
                }
                if (b.skipped() > 0) {
                    conn.send(new Event.Notice("skipped " + bytes(b.skipped()) + " of output: this reader fell behind"));
                }
                for (int off = 0; off < b.bytes().length; off += CHUNK) {
                    conn.send(Event.Output.of(b.bytes(), off, Math.min(CHUNK, b.bytes().length - off)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }
}
