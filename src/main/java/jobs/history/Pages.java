package jobs.history;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fixed-size byte arrays that the disk logs' queues copy output into and hand back once it is
 * written. Streaming output used to cost one fresh array per pty read, which at 100 MB meant a
 * young collection every few megabytes (~100 pauses of 1-4 ms with the daemon's small heap);
 * recycled pages cost none. Only a few free pages are kept, shared by every job, so an idle
 * daemon holds next to nothing.
 */
final class Pages {
    static final int SIZE = 64 * 1024;

    private final int keep;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> free;

    Pages(int keep) {
        this.keep = keep;
        this.free = new ArrayDeque<>(keep);
    }

    /** A page of {@link #SIZE} bytes, recycled when one is free; its content is garbage. */
    byte[] take() {
        lock.lock();
        try {
            byte[] p = free.pollLast();
            if (p != null) return p;
        } finally {
            lock.unlock();
        }
        return new byte[SIZE];
    }

    /** Hands a page back; beyond the few kept, it is left to the collector. */
    void give(byte[] page) {
        if (page.length != SIZE) return;
        lock.lock();
        try {
            if (free.size() < keep) free.addLast(page);
        } finally {
            lock.unlock();
        }
    }

    int free() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }
}
