package jobs.job;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether a job's output has switched its terminal to the alternate screen, as full-screen
 * programs do (vim, less, htop: {@code ESC [ ? 1049 h}, or the older 1047 and 47), and not
 * back. Fed every byte the job writes, in order; a sequence may be split across reads, so the
 * parser keeps its place between calls. Only the pty reader calls {@link #scan}.
 */
final class AltScreen {
    private enum Where { TEXT, ESC, CSI, PRIVATE }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long ESCAPES = 0x1b1b1b1b1b1b1b1bL;

    private Where where = Where.TEXT;
    private int param;
    /** Whether the private mode sequence being read names an alternate-screen mode. */
    private boolean names;
    private volatile boolean active;

    boolean active() {
        return active;
    }

    void scan(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (where == Where.TEXT) {
                i = nextEscape(b, i, end);
                if (i == end) return;
                where = Where.ESC;
                i++;
            } else {
                step(b[i++] & 0xff);
            }
        }
    }

    /**
     * Where the next ESC is at or after i (end if none), eight bytes at a time: a pty's output is
     * mostly text, every byte of it passes here, and the daemon's C1-compiled byte loop cost a
     * sixth of its CPU under streaming output (this takes about half of that).
     */
    static int nextEscape(byte[] b, int i, int end) {
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONGS.get(b, i) ^ ESCAPES;
            // non-zero exactly when one of the eight bytes of v is zero, i.e. was an ESC
            if (((v - ONES) & ~v & HIGHS) != 0) break;
        }
        while (i < end && b[i] != 0x1b) i++;
        return i;
    }

    private void step(int c) {
        switch (where) {
            case ESC -> where = c == '[' ? Where.CSI : c == 0x1b ? Where.ESC : Where.TEXT;
            case CSI -> {
                if (c == '?') {
                    where = Where.PRIVATE;
                    param = 0;
                    names = false;
                } else {
                    where = c == 0x1b ? Where.ESC : Where.TEXT;
                }
            }
            case PRIVATE -> {
                if (c >= '0' && c <= '9') {
                    param = Math.min(param * 10 + (c - '0'), 100_000);
                } else if (c == ';') {
                    endParam();
                } else {
                    endParam();
                    if (names && (c == 'h' || c == 'l')) active = c == 'h';
                    where = c == 0x1b ? Where.ESC : Where.TEXT;
                }
            }
            default -> where = Where.TEXT;
        }
    }

    private void endParam() {
        if (param == 1049 || param == 1047 || param == 47) names = true;
        param = 0;
    }
}
