package jobs.client;

import jobs.posix.RawMode;

/**
 * Restores the terminal when the JVM goes down some other way than the session's own end:
 * System.exit, or SIGTERM/SIGHUP/SIGINT, whose default JVM handlers run shutdown hooks and exit
 * with 128+N. In raw mode Ctrl-C is a byte for the job, so SIGINT here only comes from kill(1).
 */
public final class TerminalGuard {
    private static volatile RawMode current;
    private static boolean hooked;

    private TerminalGuard() {}

    static synchronized void set(RawMode raw) {
        current = raw;
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TerminalGuard::restore, "jobs restore terminal"));
        }
    }

    /** Idempotent; cli.Main calls it before printing an error. */
    public static void restore() {
        RawMode raw = current;
        if (raw != null) raw.restore();
    }
}
