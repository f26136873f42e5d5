package jobs.history;

/**
 * Output written while no client is attached. Bounded: when full, the oldest bytes go first and
 * are counted, so a replay can say how much was lost. Not thread-safe: JobState's lock guards it.
 *
 * <p>The ring grows as output arrives, up to the limit, and is let go when it is emptied: most
 * detached jobs print little, and a full-size ring per job (1 MB by default) made the daemon's
 * heap grow by that much for every idle job.
 */
public final class Backlog {
    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST_RING = 4096;

    private final int limit;
    private byte[] ring = EMPTY;
    private int start;
    private int size;
    private long dropped;

    public Backlog(long capacity) {
        this.limit = (int) Math.min(Math.max(capacity, 1), Integer.MAX_VALUE - 8);
    }

    public void append(byte[] b, int off, int len) {
        if (len >= limit) {
            dropped += size + (len - limit);
            off += len - limit;
            len = limit;
            start = 0;
            size = 0;
        }
        makeRoom(size + len);
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

    /** Grows the ring (doubling, at most to the limit) until it holds {@code needed} bytes. */
    private void makeRoom(int needed) {
        if (needed <= ring.length || ring.length == limit) return;
        long grown = Math.max(FIRST_RING, ring.length);
        while (grown < needed) grown *= 2;
        byte[] bigger = new byte[(int) Math.min(grown, limit)];
        copyOut(bigger);
        ring = bigger;
        start = 0;
    }

    /** Everything kept, oldest first; the backlog is empty afterwards. */
    public byte[] take() {
        byte[] out = new byte[size];
        copyOut(out);
        clear();
        return out;
    }

    /**
     * Puts back what a {@link #take} took for a client that left before it was written: it goes
     * ahead of what arrived since, and the limit still holds, the oldest going first.
     */
    public void putBack(byte[] taken, long takenDropped) {
        long droppedSince = dropped;
        byte[] newer = take();
        append(taken, 0, taken.length);
        append(newer, 0, newer.length);
        dropped += takenDropped + droppedSince;
    }

    private void copyOut(byte[] to) {
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, to, 0, first);
        System.arraycopy(ring, 0, to, first, size - first);
    }

    /** Bytes lost to the limit since the last take or clear. */
    public long dropped() {
        return dropped;
    }

    public void clear() {
        ring = EMPTY;
        start = 0;
        size = 0;
        dropped = 0;
    }

    int size() {
        return size;
    }

    /** Bytes the ring holds on to, full or not. */
    int footprint() {
        return ring.length;
    }
}
