package jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.client.Client;
import jobs.client.JobsException;

/**
 * Parses the command line into a {@link Command}, without side effects, so every rule is
 * testable without a process. Usage errors are {@link JobsException}s with exit code 2.
 */
final class CommandLine {
    private static final String HINT = " (see 'jobs --help')";

    private CommandLine() {}

    static Command parse(List<String> args, Map<String, String> env) {
        if (args.isEmpty()) throw usage("no command given");
        String first = args.getFirst();
        if (first.equals("__runner")) return new Command.Runner(List.copyOf(args.subList(1, args.size())));
        if (first.equals("__complete")) return complete(args.subList(1, args.size()));
        if (first.equals("__new-build") && args.size() == 1) return new Command.NewBuild();
        if (isHelp(first)) return new Command.Help(Help.GLOBAL);
        if (first.equals("--version") || first.equals("-V")) return new Command.Version();
        if (first.startsWith("-")) throw usage("unknown option '" + first + "'");
        List<String> rest = args.subList(1, args.size());
        return switch (Verb.of(first)) {
            case RUN -> RunArgs.parse(rest, env);
            case CONTINUE -> ContinueArgs.parse(rest);
            case LIST -> list(rest);
            case KILL_SERVER -> killServer(rest);
            case RESTART_SERVER -> restartServer(rest);
            case DAEMON -> daemon(rest);
            case INIT -> init(rest);
            case HELP -> help(rest);
            case KILL -> JobWords.kill(rest);
            case WAIT -> JobWords.await(rest);
            case CLEAN -> JobWords.clean(rest);
            case LOG -> LogArgs.parse(rest);
            case QUEUE -> QueueArgs.queue(rest);
            case START -> QueueArgs.start(rest);
            case RERUN -> QueueArgs.rerun(rest);
        };
    }

    /** Words the CLI turns into a number itself: {@code 3}, {@code %3}, {@code %+}, {@code %%}. */
    static boolean isJobId(String word) {
        String rest = word.startsWith("%") ? word.substring(1) : word;
        return word.equals("%+") || word.equals("%%") || rest.isEmpty() || rest.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * A word the daemon resolves (JobSelector): a name, or {@code %STRING}. Numbers are checked
     * here, so that '99999999999' is a usage error and not a name.
     */
    static String jobWord(String command, String word) {
        if (isJobId(word)) jobId(command, word);
        return word;
    }

    /** The value of the --detach-key at args[i] (in the same word after '=', else the next one). */
    static String detachKey(String verb, List<String> args, int i) {
        String a = args.get(i);
        String key;
        if (a.startsWith("--detach-key=")) {
            key = a.substring("--detach-key=".length());
        } else {
            if (i + 1 >= args.size()) throw usage(verb + ": --detach-key needs a KEY (^X or none)");
            key = args.get(i + 1);
        }
        try {
            Client.checkDetachKey(key);
        } catch (JobsException e) {
            throw usage(verb + ": " + e.getMessage());
        }
        return key;
    }

    /** {@code 3} or {@code %3}; {@code %+} and {@code %%} mean the default job, as in shells. */
    static Integer jobId(String command, String word) {
        String digits = word.startsWith("%") ? word.substring(1) : word;
        if (word.equals("%+") || word.equals("%%")) return null;
        if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException tooBig) {
                // falls through to the usage error
            }
        }
        throw usage(command + ": '" + word + "' is not a job id");
    }

    private static Command list(List<String> args) {
        boolean json = false;
        for (String a : args) {
            if (isHelp(a)) return new Command.Help(Help.LIST);
            if (a.equals("--json")) json = true;
            else if (a.startsWith("-")) throw usage("list: unknown option '" + a + "'");
            else throw usage("list: unexpected argument '" + a + "'");
        }
        return new Command.ListJobs(json);
    }

    private static Command killServer(List<String> args) {
        for (String a : args) {
            if (isHelp(a)) return new Command.Help(Help.KILL_SERVER);
            if (a.startsWith("-")) throw usage("kill-server: unknown option '" + a + "'");
            throw usage("kill-server: unexpected argument '" + a + "'");
        }
        return new Command.KillServer();
    }

    private static Command restartServer(List<String> args) {
        for (String a : args) {
            if (isHelp(a)) return new Command.Help(Help.RESTART_SERVER);
            if (a.startsWith("-")) throw usage("restart-server: unknown option '" + a + "'");
            throw usage("restart-server: unexpected argument '" + a + "'");
        }
        return new Command.RestartServer();
    }

    private static Command daemon(List<String> args) {
        Path log = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (isHelp(a)) return new Command.Help(Help.DAEMON);
            if (a.equals("--log-file") || a.equals("-l")) {
                if (i + 1 >= args.size()) throw usage("daemon: " + a + " needs a FILE");
                log = Path.of(args.get(++i));
            } else if (a.startsWith("--log-file=")) {
                log = Path.of(a.substring("--log-file=".length()));
            } else if (a.startsWith("-")) {
                throw usage("daemon: unknown option '" + a + "'");
            } else {
                throw usage("daemon: unexpected argument '" + a + "'");
            }
        }
        return new Command.Daemon(log);
    }

    private static Command init(List<String> args) {
        if (!args.isEmpty() && isHelp(args.getFirst())) return new Command.Help(Help.INIT);
        if (args.isEmpty()) throw usage("init: which shell? (bash, zsh or fish)");
        if (args.size() > 1) throw usage("init: unexpected argument '" + args.get(1) + "'");
        String shell = args.getFirst();
        if (!ShellInit.SHELLS.contains(shell)) throw usage("init: unknown shell '" + shell + "' (bash, zsh or fish)");
        return new Command.Init(shell);
    }

    /** The hidden entry of the shells' completion functions: {@code __complete ids} or {@code __complete queues}. */
    private static Command complete(List<String> args) {
        if (args.size() != 1 || !List.of("ids", "queues").contains(args.getFirst())) {
            throw usage("__complete: expected 'ids' or 'queues'");
        }
        return new Command.Complete(args.getFirst());
    }

    private static Command help(List<String> args) {
        if (args.isEmpty() || isHelp(args.getFirst())) return new Command.Help(Help.GLOBAL);
        if (args.size() > 1) throw usage("help: unexpected argument '" + args.get(1) + "'");
        return new Command.Help(Verb.of(args.getFirst()).help);
    }

    static boolean isHelp(String a) {
        return a.equals("-h") || a.equals("--help");
    }

    static JobsException usage(String message) {
        return new JobsException(2, message + HINT);
    }
}
