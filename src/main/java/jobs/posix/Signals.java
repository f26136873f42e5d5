package jobs.posix;

/** Linux x86-64 signal numbers and their names, for reports meant for people. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGKILL = 9;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGWINCH = 28;

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };

    private Signals() {}

    /** "SIGTERM" for 15; real-time signals as "SIGRTMIN+N"; anything else as "signal N". */
    public static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) return NAMES[signal];
        if (signal >= 34 && signal <= 64) return "SIGRTMIN+" + (signal - 34);
        return "signal " + signal;
    }

    /**
     * The number of a signal as users write it: {@code TERM}, {@code SIGTERM}, {@code term} or
     * {@code 15} (1 to 64); -1 for anything else.
     */
    public static int number(String word) {
        if (word == null || word.isEmpty()) return -1;
        if (word.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (word.length() > 2) return -1;
            int n = Integer.parseInt(word);
            return n >= 1 && n <= 64 ? n : -1;
        }
        String upper = word.toUpperCase(java.util.Locale.ROOT);
        String full = upper.startsWith("SIG") ? upper : "SIG" + upper;
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(full)) return i;
        }
        return -1;
    }
}
