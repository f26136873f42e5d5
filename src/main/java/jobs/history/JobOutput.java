package jobs.history;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import jobs.protocol.Event;

/**
 * Where a job's output goes besides the attached client: its disk log and its followers
 * ({@code jobs log -f}). {@link #publish} runs on the pty reader and only copies bytes into
 * bounded buffers; nothing here waits for a disk or a socket.
 */
public final class JobOutput {
    private static final String OFF = "no output history is kept (log.bytes=0)";

    private final LogStore store;
    private final DiskLog disk;
    /** Orders publishing against a reader's snapshot-and-register, so a follower misses nothing. */
    private final ReentrantLock lock = new ReentrantLock();
    private final CopyOnWriteArrayList<Follower> followers = new CopyOnWriteArrayList<>();
    private Event.Finished end;

    public JobOutput(LogStore store, DiskLog disk) {
        this.store = store;
        this.disk = disk;
    }

    /** The log file, for users ({@code list --json}, JOB_LOG); null when none is kept. */
    public Path logFile() {
        return disk == null ? null : disk.fileIfKept();
    }

    public void publish(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (disk != null) disk.offer(b, off, len);
            for (Follower f : followers) f.offer(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    /** Every byte is published: followers get the end after their last bytes. */
    public void ended(Event.Finished f) {
        lock.lock();
        try {
            if (end != null) return;
            end = f;
            for (Follower x : followers) x.ended(f);
        } finally {
            lock.unlock();
        }
        store.finished(disk);
    }

    /** The history so far; with a follower, when asked for one, that gets everything after it. */
    public History history(Follower follower) throws IOException {
        if (disk == null) {
            lock.lock();
            try {
                register(follower);
            } finally {
                lock.unlock();
            }
            return History.none(OFF);
        }
        // lock order: the disk log's io, this, its queue (DiskLog's class comment)
        return disk.snapshotThen(lock, () -> register(follower));
    }

    private void register(Follower f) {
        if (f == null) return;
        if (end != null) f.ended(end);
        else followers.add(f);
    }

    public void unfollow(Follower f) {
        f.close();
        followers.remove(f);
    }

    public int followers() {
        return followers.size();
    }
}
