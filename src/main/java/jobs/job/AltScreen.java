package jobs.job;

/**
 * Whether a job's output has switched its terminal to the alternate screen, as full-screen
 * programs do (vim, less, htop: {@code ESC [ ? 1049 h}, or the older 1047 and 47), and not
 * back. Fed every byte the job writes, in order; a sequence may be split across reads, so the
 * parser keeps its place between calls. Only the pty reader calls {@link #scan}.
 */
final class AltScreen {
    private enum Where { TEXT, ESC, CSI, PRIVATE }

    private Where where = Where.TEXT;
    private int param;
    /** Whether the private mode sequence being read names an alternate-screen mode. */
    private boolean names;
    private volatile boolean active;

    boolean active() {
        return active;
    }

    void scan(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (where == Where.TEXT) {
                if (c == 0x1b) where = Where.ESC;
                continue;
            }
            step(c);
        }
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
