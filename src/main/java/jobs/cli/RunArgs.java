package jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jobs.protocol.JobNames;

/**
 * The arguments of {@code jobs run [-d] [-n NAME] [--detach-key KEY] CMD [ARGS...]}: options
 * end at CMD, and a single word with shell syntax in it runs in the user's shell.
 */
final class RunArgs {
    /** A single word holding any of these is meant for a shell, not for exec. */
    private static final String SHELL_SYNTAX = " \t\n'\"\\|&;<>()$*?`~{[";
    private static final Set<String> KNOWN_SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh", "fish");

    private RunArgs() {}

    static Command parse(List<String> args, Map<String, String> env) {
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
            if (CommandLine.isHelp(a)) return new Command.Help(Help.RUN);
            if (a.equals("--detached")) {
                detached = true;
            } else if (a.equals("--detach-key") || a.startsWith("--detach-key=")) {
                detachKey = CommandLine.detachKey("run", args, i);
                if (a.equals("--detach-key")) i++;
            } else if (a.equals("--name") || a.equals("-n")) {
                if (i + 1 >= args.size()) throw CommandLine.usage("run: " + a + " needs a NAME");
                name = jobName(args.get(++i));
            } else if (a.startsWith("--name=")) {
                name = jobName(a.substring("--name=".length()));
            } else if (a.startsWith("--")) {
                throw CommandLine.usage("run: unknown option '" + a + "'");
            } else if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c == 'd') detached = true;
                    else if (c == 'h') return new Command.Help(Help.RUN);
                    else throw CommandLine.usage("run: unknown option '-" + c + "'");
                }
            } else {
                break;
            }
        }
        if (i >= args.size()) throw CommandLine.usage("run: no command given");
        String cmd = args.get(i);
        if (cmd.isEmpty()) throw CommandLine.usage("run: the command is an empty word");
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
        if (problem != null) throw CommandLine.usage("run: bad name '" + name + "': " + problem);
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
}
