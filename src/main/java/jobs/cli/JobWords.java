package jobs.cli;

import java.util.ArrayList;
import java.util.List;
import jobs.posix.Signals;

/**
 * Parses the commands that act on jobs without attaching: kill, wait and clean. Their job
 * words (ids, names, jobspecs) go to the daemon as typed, once checked for form.
 */
final class JobWords {
    /** More than a day is a typo, and a long must hold the millis. */
    private static final double MAX_TIMEOUT_SECONDS = 86_400 * 365;

    private JobWords() {}

    static Command kill(List<String> args) {
        List<String> jobs = new ArrayList<>();
        boolean all = false;
        int signal = Signals.SIGTERM;
        Long timeout = null;
        boolean endOfOptions = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (endOfOptions || !a.startsWith("-") || a.equals("-")) {
                jobs.add(CommandLine.jobWord("kill", a));
            } else if (a.equals("--")) {
                endOfOptions = true;
            } else if (CommandLine.isHelp(a)) {
                return new Command.Help(Help.KILL);
            } else if (a.equals("--all") || a.equals("-a")) {
                all = true;
            } else if (a.equals("-s") || a.equals("--signal")) {
                signal = signal(value(args, i++, "kill", a, "SIG"));
            } else if (a.startsWith("--signal=")) {
                signal = signal(a.substring("--signal=".length()));
            } else if (a.equals("--timeout")) {
                timeout = timeout("kill", value(args, i++, "kill", a, "SECS"));
            } else if (a.startsWith("--timeout=")) {
                timeout = timeout("kill", a.substring("--timeout=".length()));
            } else if (!a.startsWith("--") && Signals.number(a.substring(1)) > 0) {
                signal = Signals.number(a.substring(1)); // kill -9, kill -HUP, as in shells
            } else {
                throw CommandLine.usage("kill: unknown option '" + a + "'");
            }
        }
        if (all && !jobs.isEmpty()) throw CommandLine.usage("kill: --all takes no job IDs");
        if (!all && jobs.isEmpty()) throw CommandLine.usage("kill: no job given (an ID, a name, or --all)");
        return new Command.Kill(List.copyOf(jobs), all, signal, timeout);
    }

    static Command await(List<String> args) {
        List<String> jobs = new ArrayList<>();
        boolean any = false;
        Long timeout = null;
        boolean endOfOptions = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (endOfOptions || !a.startsWith("-") || a.equals("-")) {
                jobs.add(CommandLine.jobWord("wait", a));
            } else if (a.equals("--")) {
                endOfOptions = true;
            } else if (CommandLine.isHelp(a)) {
                return new Command.Help(Help.WAIT);
            } else if (a.equals("--any") || a.equals("-n")) {
                any = true;
            } else if (a.equals("--timeout") || a.equals("-t")) {
                timeout = timeout("wait", value(args, i++, "wait", a, "SECS"));
            } else if (a.startsWith("--timeout=")) {
                timeout = timeout("wait", a.substring("--timeout=".length()));
            } else {
                throw CommandLine.usage("wait: unknown option '" + a + "'");
            }
        }
        return new Command.Wait(List.copyOf(jobs), any, timeout);
    }

    static Command clean(List<String> args) {
        List<String> jobs = new ArrayList<>();
        boolean endOfOptions = false;
        for (String a : args) {
            if (endOfOptions || !a.startsWith("-") || a.equals("-")) {
                jobs.add(CommandLine.jobWord("clean", a));
            } else if (a.equals("--")) {
                endOfOptions = true;
            } else if (CommandLine.isHelp(a)) {
                return new Command.Help(Help.CLEAN);
            } else {
                throw CommandLine.usage("clean: unknown option '" + a + "'");
            }
        }
        return new Command.Clean(List.copyOf(jobs));
    }

    private static String value(List<String> args, int i, String command, String option, String what) {
        if (i + 1 >= args.size()) throw CommandLine.usage(command + ": " + option + " needs " + what);
        return args.get(i + 1);
    }

    private static int signal(String word) {
        int n = Signals.number(word);
        if (n < 0) throw CommandLine.usage("kill: unknown signal '" + word + "' (try TERM, HUP, KILL, INT or 1-64)");
        return n;
    }

    /** Seconds as users write them ({@code 5}, {@code 0.5}), in millis. */
    private static long timeout(String command, String word) {
        double seconds;
        try {
            seconds = Double.parseDouble(word);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (!(seconds >= 0 && seconds <= MAX_TIMEOUT_SECONDS) || word.startsWith("+") || !word.matches("[0-9.]+")) {
            throw CommandLine.usage(command + ": '" + word + "' is not a number of seconds");
        }
        return Math.round(seconds * 1000);
    }
}
