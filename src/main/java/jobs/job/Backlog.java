package jobs.job;

/**
 * Output written while no client is attached. Bounded: when full, the oldest bytes go first and
 * are counted, so a replay can say how much was lost. Not thread-safe: JobState's lock guards it.
 */
final class Backlog {
    private final byte[] ring;
    private int start;
    private int size;
    private long dropped;

    Backlog(long capacity) {
        this.ring = new byte[(int) Math.min(Math.max(capacity, 1), Integer.MAX_VALUE - 8)];
    }

    void append(byte[] b, int off, int len) {
        if (len >= ring.length) {
            dropped += size + (len - ring.length);
            off += len - ring.length;
            len = ring.length;
            start = 0;
            size = 0;
        }
        int overflow = size + len - ring.length;
        if (overflow > 0) {
            start = (start + overflow) % ring.length;
            size -= overflow;
            dropped += overflow;
        }
        int end = (start + size) % ring.length;
        int first = Math.min(len, ring.length - end);
        System.arraycopy(b, off, ring, end, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        size += len;
    }

    /** Everything kept, oldest first; the backlog is empty afterwards. */
    byte[] take() {
        byte[] out = new byte[size];
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        clear();
        return out;
    }

    /** Bytes lost to the limit since the last take or clear. */
    long dropped() {
        return dropped;
    }

    void clear() {
        start = 0;
        size = 0;
        dropped = 0;
    }

    int size() {
        return size;
    }
}
