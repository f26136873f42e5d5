package jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jobs.client.Client;
import jobs.client.JobsException;
import jobs.protocol.JobNames;

/**
 * Parses the command line into a {@link Command}, without side effects, so every rule is
 * testable without a process. Usage errors are {@link JobsException}s with exit code 2.
 */
final class CommandLine {
    private static final String HINT = " (see 'jobs --help')";
    /** A single word holding any of these is meant for a shell, not for exec. */
    private static final String SHELL_SYNTAX = " \t\n'\"\\|&;<>()$*?`~{[";
    private static final Set<String> KNOWN_SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh", "fish");

    private enum Verb { RUN, CONTINUE, LIST, KILL_SERVER, RESTART_SERVER, DAEMON, INIT, HELP, KILL, WAIT, CLEAN, LOG }

    /**
     * Commands added after the first release: a prefix that also fits an older command keeps
     * meaning the older one ('jobs c 2' still continues job 2; 'jobs cl' cleans).
     */
    private static final Set<Verb> NEWER = Set.of(Verb.KILL, Verb.WAIT, Verb.CLEAN, Verb.LOG);

    /**
     * Names that only match in full: restart-server would otherwise make 'r' and 're' (run,
     * resume) ambiguous, and a command that hands every job over is worth typing out.
     */
    private static final Map<String, Verb> FULL_NAMES = Map.of("restart-server", Verb.RESTART_SERVER);

    /** Names users type, aliases included, in the order shown when a prefix is ambiguous. */
    private static final Map<String, Verb> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("run", Verb.RUN);
        NAMES.put("continue", Verb.CONTINUE);
        NAMES.put("fg", Verb.CONTINUE);
        NAMES.put("resume", Verb.CONTINUE);
        NAMES.put("list", Verb.LIST);
        NAMES.put("ls", Verb.LIST);
        NAMES.put("kill-server", Verb.KILL_SERVER);
        NAMES.put("log", Verb.LOG);
        // 'jobs l' meant list before log existed, and README and fingers still say so
        NAMES.put("l", Verb.LIST);
        NAMES.put("daemon", Verb.DAEMON);
        NAMES.put("init", Verb.INIT);
        NAMES.put("help", Verb.HELP);
        NAMES.put("kill", Verb.KILL);
        NAMES.put("wait", Verb.WAIT);
        NAMES.put("clean", Verb.CLEAN);
    }

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
        return switch (verb(first)) {
            case RUN -> run(rest, env);
            case CONTINUE -> continueJob(rest);
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
        };
    }

    /** An exact name, or the one command that every name starting with {@code word} means. */
    private static Verb verb(String word) {
        Verb full = FULL_NAMES.get(word);
        if (full != null) return full;
        Verb exact = NAMES.get(word);
        if (exact != null) return exact;
        Set<Verb> verbs = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        NAMES.forEach((name, v) -> {
            if (name.startsWith(word)) {
                verbs.add(v);
                names.add(name);
            }
        });
        if (verbs.size() > 1 && !NEWER.containsAll(verbs)) verbs.removeAll(NEWER);
        if (verbs.size() == 1) return verbs.iterator().next();
        if (verbs.isEmpty()) throw usage("unknown command '" + word + "'");
        throw usage("ambiguous command '" + word + "': " + String.join(", ", names));
    }

    private static Command run(List<String> args, Map<String, String> env) {
        boolean detached = false;
        String detachKey = null;
        String name = null;
        boolean endOfOptions = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                endOfOptions = true;
                i++;
                break;
            }
            if (isHelp(a)) return new Command.Help(Help.RUN);
            if (a.equals("--detached")) {
                detached = true;
            } else if (a.equals("--detach-key") || a.startsWith("--detach-key=")) {
                detachKey = detachKey("run", args, i);
                if (a.equals("--detach-key")) i++;
            } else if (a.equals("--name") || a.equals("-n")) {
                if (i + 1 >= args.size()) throw usage("run: " + a + " needs a NAME");
                name = jobName(args.get(++i));
            } else if (a.startsWith("--name=")) {
                name = jobName(a.substring("--name=".length()));
            } else if (a.startsWith("--")) {
                throw usage("run: unknown option '" + a + "'");
            } else if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c == 'd') detached = true;
                    else if (c == 'h') return new Command.Help(Help.RUN);
                    else throw usage("run: unknown option '-" + c + "'");
                }
            } else {
                break;
            }
        }
        if (i >= args.size()) throw usage("run: no command given");
        String cmd = args.get(i);
        if (cmd.isEmpty()) throw usage("run: the command is an empty word");
        List<String> tail = new ArrayList<>(args.subList(i + 1, args.size()));
        // 'run CMD -- ARGS' lets ARGS start with '-'; after 'run -- CMD', every word is the job's
        if (!endOfOptions && !tail.isEmpty() && tail.getFirst().equals("--")) tail.removeFirst();
        List<String> argv = new ArrayList<>();
        if (tail.isEmpty() && hasShellSyntax(cmd)) {
            argv.addAll(List.of(shell(env), "-c", cmd));
        } else {
            argv.add(cmd);
            argv.addAll(tail);
        }
        return new Command.Run(List.copyOf(argv), detached, name, detachKey);
    }

    private static String jobName(String name) {
        String problem = JobNames.problem(name);
        if (problem != null) throw usage("run: bad name '" + name + "': " + problem);
        return name;
    }

    static boolean hasShellSyntax(String word) {
        return word.chars().anyMatch(c -> SHELL_SYNTAX.indexOf(c) >= 0);
    }

    /** $SHELL when it is a shell that takes {@code -c} the POSIX way, else /bin/sh. */
    static String shell(Map<String, String> env) {
        String s = env.get("SHELL");
        if (s == null || s.isBlank()) return "/bin/sh";
        String base = s.substring(s.lastIndexOf('/') + 1);
        return KNOWN_SHELLS.contains(base) ? s : "/bin/sh";
    }

    private static Command continueJob(List<String> args) {
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
            } else if (!endOfOptions && isHelp(a)) {
                return new Command.Help(Help.CONTINUE);
            } else if (!endOfOptions && a.equals("--detached")) {
                detached = true;
            } else if (!endOfOptions && a.equals("--fetch-output")) {
                fetchOutput = true;
            } else if (!endOfOptions && (a.equals("--detach-key") || a.startsWith("--detach-key="))) {
                detachKey = detachKey("continue", args, i);
                if (a.equals("--detach-key")) i++;
            } else if (!endOfOptions && a.equals("--steal")) {
                steal = true;
            } else if (!endOfOptions && a.startsWith("--")) {
                throw usage("continue: unknown option '" + a + "'");
            } else if (!endOfOptions && a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'd' -> detached = true;
                        case 'o' -> fetchOutput = true;
                        case 'h' -> { return new Command.Help(Help.CONTINUE); }
                        default -> throw usage("continue: unknown option '-" + c + "'");
                    }
                }
            } else if (id == null) {
                id = a;
            } else {
                throw usage("continue: unexpected argument '" + a + "'");
            }
        }
        if (id == null || isJobId(id)) {
            Integer number = id == null ? null : jobId(id);
            if (steal && number == null) throw usage("continue: --steal needs the job's ID or name");
            return new Command.Continue(number, detached, fetchOutput, null, steal, detachKey);
        }
        return new Command.Continue(null, detached, fetchOutput, jobWord("continue", id), steal, detachKey);
    }

    /** Words the CLI turns into a number itself: {@code 3}, {@code %3}, {@code %+}, {@code %%}. */
    private static boolean isJobId(String word) {
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
    private static String detachKey(String verb, List<String> args, int i) {
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
    static Integer jobId(String word) {
        return jobId("continue", word);
    }

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

    /** The hidden entry of the shells' completion functions: {@code __complete ids}. */
    private static Command complete(List<String> args) {
        if (args.size() != 1 || !args.getFirst().equals("ids")) throw usage("__complete: expected 'ids'");
        return new Command.Complete(args.getFirst());
    }

    private static Command help(List<String> args) {
        if (args.isEmpty() || isHelp(args.getFirst())) return new Command.Help(Help.GLOBAL);
        if (args.size() > 1) throw usage("help: unexpected argument '" + args.get(1) + "'");
        return new Command.Help(switch (verb(args.getFirst())) {
            case RUN -> Help.RUN;
            case CONTINUE -> Help.CONTINUE;
            case LIST -> Help.LIST;
            case KILL_SERVER -> Help.KILL_SERVER;
            case RESTART_SERVER -> Help.RESTART_SERVER;
            case DAEMON -> Help.DAEMON;
            case INIT -> Help.INIT;
            case HELP -> Help.HELP;
            case KILL -> Help.KILL;
            case WAIT -> Help.WAIT;
            case CLEAN -> Help.CLEAN;
            case LOG -> Help.LOG;
        });
    }

    static boolean isHelp(String a) {
        return a.equals("-h") || a.equals("--help");
    }

    static JobsException usage(String message) {
        return new JobsException(2, message + HINT);
    }
}
