package jobs.posix;

import java.util.ArrayDeque;

/**
 * Descriptors that came over a Unix socket with the frames read so far (SCM_RIGHTS), until the
 * reader takes them or the connection closes. Our peers send one at most with a frame (the
 * job's pty master); a peer that sends more gets the extras closed at once, so that it cannot
 * fill this process's descriptor table, and so does one that sends after the close.
 */
public final class ReceivedDescriptors {
    private static final int KEPT = 2;

    private final ArrayDeque<Integer> kept = new ArrayDeque<>();
    private boolean closed;

    public synchronized void keep(int descriptor) {
        if (closed || kept.size() >= KEPT) Fd.closeRaw(descriptor);
        else kept.addLast(descriptor);
    }

    /** The oldest one not yet taken (now the caller's), or -1. */
    public synchronized int take() {
        Integer d = kept.pollFirst();
        return d == null ? -1 : d;
    }

    /** Closes what was not taken; any that come later are closed as they come. */
    public synchronized void close() {
        closed = true;
        for (Integer d : kept) Fd.closeRaw(d);
        kept.clear();
    }
}
