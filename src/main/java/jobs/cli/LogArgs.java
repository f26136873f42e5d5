package jobs.cli;

import java.util.List;

/** The arguments of {@code jobs log [-n LINES] [-f] ID}. */
final class LogArgs {
    private LogArgs() {}

    static Command parse(List<String> args) {
        boolean follow = false;
        boolean endOfOptions = false;
        int lines = 0;
        String job = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!endOfOptions && a.equals("--")) {
                endOfOptions = true;
            } else if (!endOfOptions && CommandLine.isHelp(a)) {
                return new Command.Help(Help.LOG);
            } else if (!endOfOptions && a.equals("--follow")) {
                follow = true;
            } else if (!endOfOptions && (a.equals("--lines") || a.equals("-n"))) {
                if (i + 1 >= args.size()) throw CommandLine.usage("log: " + a + " needs a number of LINES");
                lines = lines(args.get(++i));
            } else if (!endOfOptions && a.startsWith("--lines=")) {
                lines = lines(a.substring("--lines=".length()));
            } else if (!endOfOptions && a.startsWith("-n") && a.length() > 2) {
                lines = lines(a.substring(2));
            } else if (!endOfOptions && a.startsWith("--")) {
                throw CommandLine.usage("log: unknown option '" + a + "'");
            } else if (!endOfOptions && a.startsWith("-") && a.length() > 1 && !a.startsWith("-%")) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c == 'f') follow = true;
                    else if (c == 'h') return new Command.Help(Help.LOG);
                    else throw CommandLine.usage("log: unknown option '-" + c + "'");
                }
            } else if (job == null) {
                if (a.isEmpty()) throw CommandLine.usage("log: the job is an empty word");
                job = CommandLine.jobWord("log", a);
            } else {
                throw CommandLine.usage("log: unexpected argument '" + a + "'");
            }
        }
        if (job == null) throw CommandLine.usage("log: which job? (give its ID)");
        return new Command.Log(job, lines, follow);
    }

    private static int lines(String word) {
        try {
            int n = Integer.parseInt(word);
            if (n >= 0) return n == 0 ? -1 : n;
        } catch (NumberFormatException e) {
            // the usage error below
        }
        throw CommandLine.usage("log: '" + word + "' is not a number of lines");
    }
}
