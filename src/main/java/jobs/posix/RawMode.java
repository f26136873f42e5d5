package jobs.posix;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A terminal in raw mode and the settings it had before. {@link #restore()} may be called any
 * number of times, from any thread, a signal handler thread or a shutdown hook: only the first
 * call touches the terminal.
 */
public final class RawMode {
    private final int fd;
    private final byte[] saved;
    private final AtomicBoolean restored = new AtomicBoolean();

    RawMode(int fd, byte[] saved) {
        this.fd = fd;
        this.saved = saved.clone();
    }

    public int fd() { return fd; }

    public boolean isRestored() { return restored.get(); }

    /** Puts the saved settings back; errors are swallowed because this runs on the way out. */
    public void restore() {
        if (!restored.compareAndSet(false, true)) return;
        try {
            Terminal.setattr(fd, saved);
        } catch (IOException | RuntimeException e) {
            // the terminal is gone (hangup) or was closed: nothing left to repair
        }
    }
}
