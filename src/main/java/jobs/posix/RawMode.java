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

    /**
     * Restores the saved settings and then types keys into the terminal (TIOCSTI), so that keys
     * a client read ahead reach the shell as if typed at its prompt. They are pushed through the
     * restored line discipline (so Enter ends a line for a canonical reader like dash's), with
     * ECHO briefly off: the shell shows them itself, and they must not appear twice.
     */
    public void restoreAndType(byte[] keys) {
        if (!restored.compareAndSet(false, true)) return;
        try {
            byte[] quiet = saved.clone();
            java.nio.ByteBuffer lflag = java.nio.ByteBuffer.wrap(quiet).order(java.nio.ByteOrder.nativeOrder());
            int offset = (int) Terminal.LFLAG_OFFSET;
            lflag.putInt(offset, lflag.getInt(offset) & ~ECHO_FLAGS);
            Terminal.setattr(fd, quiet);
            Terminal.pushInput(fd, keys, 0, keys.length);
        } catch (IOException | RuntimeException e) {
            // could not type them back: they are lost, as they would have been anyway
        }
        try {
            Terminal.setattr(fd, saved);
        } catch (IOException | RuntimeException e) {
            // the terminal is gone: nothing left to repair
        }
    }

    /** ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL | ECHOKE (asm-generic/termbits.h). */
    private static final int ECHO_FLAGS = 0x8 | 0x10 | 0x20 | 0x40 | 0x200 | 0x800;

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
