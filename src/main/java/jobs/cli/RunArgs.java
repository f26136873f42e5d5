package jobs.cli;

import java.time.Duration;
import java.time.LocalTime;
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
        String queue = null;
        List<String> after = new ArrayList<>();
        Duration delay = null;
        LocalTime at = null;
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
            } else if (isOption(a, "--queue") || a.equals("-q")) {
                queue = queueName(value(args, i, a, "a queue NAME"));
                if (!a.contains("=")) i++;
            } else if (isOption(a, "--after")) {
                after.addAll(jobWords(value(args, i, a, "job IDs")));
                if (!a.contains("=")) i++;
            } else if (isOption(a, "--delay")) {
                delay = duration(value(args, i, a, "a DURATION (30s, 10m, 2h)"));
                if (!a.contains("=")) i++;
            } else if (isOption(a, "--at")) {
                at = timeOfDay(value(args, i, a, "a time HH:MM"));
                if (!a.contains("=")) i++;
            } else if (a.startsWith("--")) {
                throw CommandLine.usage("run: unknown option '" + a + "'");
            } else if (a.startsWith("-") && a.length() > 1) {
                String letters = a.substring(1);
                for (int k = 0; k < letters.length(); k++) {
                    char c = letters.charAt(k);
                    if (c == 'd') detached = true;
                    else if (c == 'h') return new Command.Help(Help.RUN);
                    else if (c == 'q' && k == letters.length() - 1) queue = queueName(value(args, i++, "-q", "a queue NAME"));
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
        if (delay != null && at != null) throw CommandLine.usage("run: --delay and --at together");
        return new Command.Run(List.copyOf(argv), detached, name, detachKey, queue, List.copyOf(after), delay, at);
    }

    private static String jobName(String name) {
        String problem = JobNames.problem(name);
        if (problem != null) throw CommandLine.usage("run: bad name '" + name + "': " + problem);
        return name;
    }

    private static boolean isOption(String a, String option) {
        return a.equals(option) || a.startsWith(option + "=");
    }

    /** The value of the option at args[i]: after '=' in the same word, else the next word. */
    private static String value(List<String> args, int i, String option, String what) {
        String a = args.get(i);
        int eq = a.indexOf('=');
        if (a.startsWith("--") && eq > 0) return a.substring(eq + 1);
        if (i + 1 >= args.size()) throw CommandLine.usage("run: " + option + " needs " + what);
        return args.get(i + 1);
    }

    private static String queueName(String name) {
        String problem = JobNames.problem(name);
        if (problem != null) {
            throw CommandLine.usage("run: bad queue name '" + name + "': " + problem.replace("a name", "a queue's name"));
        }
        return name;
    }

    /** {@code 3,4,%make}: the jobs a job waits for, each checked as an ID is. */
    private static List<String> jobWords(String list) {
        List<String> words = new ArrayList<>();
        for (String w : list.split(",", -1)) {
            if (w.isBlank()) throw CommandLine.usage("run: --after: empty job ID in '" + list + "'");
            words.add(CommandLine.jobWord("run: --after", w.strip()));
        }
        return words;
    }

    /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 1h30m}, {@code 90} (seconds). */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd]?)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
            if (m.group(2).isEmpty()) break;
        }
        if (text.isEmpty() || end != text.length()) {
            throw CommandLine.usage("run: --delay: '" + text + "' is not a duration (30s, 10m, 2h, 1h30m)");
        }
        return total;
    }

    static LocalTime timeOfDay(String text) {
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (java.time.format.DateTimeParseException e) {
            throw CommandLine.usage("run: --at: '" + text + "' is not a time of day (HH:MM)");
        }
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
