package jobs.cli;

import java.util.List;

/**
 * The arguments of {@code jobs continue [-d] [-o] [--steal] [--detach-key KEY] [ID]}: a number
 * the CLI reads itself; a name or {@code %STRING} goes to the daemon as typed.
 */
final class ContinueArgs {
    private ContinueArgs() {}

    static Command parse(List<String> args) {
        boolean detached = false;
        boolean fetchOutput = false;
        boolean steal = false;
        boolean endOfOptions = false;
        String detachKey = null;
        String id = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!endOfOptions && a.equals("--")) {
                endOfOptions = true;
            } else if (!endOfOptions && CommandLine.isHelp(a)) {
                return new Command.Help(Help.CONTINUE);
            } else if (!endOfOptions && a.equals("--detached")) {
                detached = true;
            } else if (!endOfOptions && a.equals("--fetch-output")) {
                fetchOutput = true;
            } else if (!endOfOptions && (a.equals("--detach-key") || a.startsWith("--detach-key="))) {
                detachKey = CommandLine.detachKey("continue", args, i);
                if (a.equals("--detach-key")) i++;
            } else if (!endOfOptions && a.equals("--steal")) {
                steal = true;
            } else if (!endOfOptions && a.startsWith("--")) {
                throw CommandLine.usage("continue: unknown option '" + a + "'");
            } else if (!endOfOptions && a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'd' -> detached = true;
                        case 'o' -> fetchOutput = true;
                        case 'h' -> { return new Command.Help(Help.CONTINUE); }
                        default -> throw CommandLine.usage("continue: unknown option '-" + c + "'");
                    }
                }
            } else if (id == null) {
                id = a;
            } else {
                throw CommandLine.usage("continue: unexpected argument '" + a + "'");
            }
        }
        if (id == null || CommandLine.isJobId(id)) {
            Integer number = id == null ? null : CommandLine.jobId("continue", id);
            if (steal && number == null) throw CommandLine.usage("continue: --steal needs the job's ID or name");
            return new Command.Continue(number, detached, fetchOutput, null, steal, detachKey);
        }
        return new Command.Continue(null, detached, fetchOutput, CommandLine.jobWord("continue", id), steal, detachKey);
    }
}
