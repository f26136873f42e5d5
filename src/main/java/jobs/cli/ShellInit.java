package jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.client.JobsException;
import jobs.config.RuntimePaths;

/**
 * {@code jobs init SHELL}: the lines a user's rc file evaluates. The commands and options come
 * from {@link #COMMANDS}, the launcher's and the notices' paths from this installation, so the
 * snippet needs no {@code jobs} on PATH and starts no JVM at a prompt.
 */
final class ShellInit {
    static final List<String> SHELLS = List.of("bash", "zsh", "fish");
    /** The system property naming an installed copy's bin/jobs. */
    static final String LAUNCHER = "jobs.launcher";

    /** A command as completion shows it; {@code takesJob}: its argument is a job id. */
    record Sub(String name, String description, List<Opt> options, boolean takesJob) {}

    /**
     * An option; {@code values}: what its argument may be, null if it takes none; {@code source}:
     * where the candidates for its argument come from when they are not fixed ("queues", "ids").
     */
    record Opt(String shortName, String longName, String description, List<String> values, String source) {
        Opt(String shortName, String longName, String description, List<String> values) {
            this(shortName, longName, description, values, null);
        }
    }

    private static final Opt HELP = new Opt("h", "help", "show help", null);
    private static final Opt DETACH_KEY = new Opt(null, "detach-key", "key that detaches (^X or none)",
            List.of("^\\", "^]", "none"));

    static final List<Sub> COMMANDS = List.of(
            new Sub("run", "start a command in a new job and attach to it", List.of(
                    new Opt("d", "detached", "start it in the background", null),
                    new Opt("n", "name", "name the job", null),
                    new Opt("q", "queue", "wait for a free slot of this queue", null, "queues"),
                    new Opt(null, "after", "start once these jobs ended with status 0", null, "ids"),
                    new Opt(null, "delay", "start after this long (30s, 10m, 2h)", null),
                    new Opt(null, "at", "start at this time of day (HH:MM)", null), DETACH_KEY, HELP), false),
            new Sub("continue", "resume a job and attach to it", continueOptions(), true),
            new Sub("fg", "resume a job and attach to it", continueOptions(), true),
            new Sub("resume", "resume a job and attach to it", continueOptions(), true),
            new Sub("list", "show the jobs", List.of(new Opt(null, "json", "as JSON", null), HELP), false),
            new Sub("kill", "send jobs a signal", List.of(new Opt("s", "signal", "the signal (default TERM)", null),
                    new Opt(null, "timeout", "SIGKILL what is left after SECS", null),
                    new Opt("a", "all", "every live job", null), HELP), true),
            new Sub("wait", "wait for jobs to end", List.of(new Opt("n", "any", "return when the first ends", null),
                    new Opt("t", "timeout", "give up after SECS (exit 124)", null), HELP), true),
            new Sub("log", "print a job's output history", List.of(new Opt("n", "lines", "only the last LINES lines", null),
                    new Opt("f", "follow", "then follow its output until it ends", null), HELP), true),
            new Sub("clean", "remove finished jobs from the list", List.of(HELP), true),
            new Sub("queue", "show the queues, or change one", List.of(
                    new Opt("p", "parallel", "how many of its jobs may run at once", null),
                    new Opt(null, "pause", "start nothing new", null), new Opt(null, "resume", "start again", null), HELP),
                    false),
            new Sub("start", "start a waiting job now", List.of(HELP), true),
            new Sub("rerun", "run an ended job again, as a new job", List.of(
                    new Opt("d", "detached", "in the background", null), DETACH_KEY, HELP), true),
            new Sub("kill-server", "end every job and the daemon", List.of(HELP), false),
            new Sub("restart-server", "hand every job to a fresh daemon", List.of(HELP), false),
            new Sub("daemon", "run the daemon in the foreground", List.of(
                    new Opt("l", "log-file", "log to FILE", null), HELP), false),
            new Sub("init", "print the set-up for a shell's rc file", List.of(HELP), false),
            new Sub("help", "show help for a command", List.of(), false));

    private ShellInit() {}

    private static List<Opt> continueOptions() {
        return List.of(new Opt("d", "detached", "resume it in the background", null),
                new Opt("o", "fetch-output", "first replay what it printed meanwhile", null),
                new Opt(null, "steal", "take it over from another terminal", null), DETACH_KEY, HELP);
    }

    static String snippet(String shell, Map<String, String> env) {
        String launcher = launcher();
        String notices = RuntimePaths.fromEnvironment(env).dir().resolve("notices").toString();
        return switch (shell) {
            case "bash" -> InitBash.text(launcher, notices);
            case "zsh" -> InitZsh.text(launcher, notices);
            case "fish" -> InitFish.text(launcher, notices);
            default -> throw new JobsException(2, "init: unknown shell '" + shell + "' (bash, zsh or fish)");
        };
    }

    /** The line of every snippet after which its completion part starts. */
    static final String COMPLETION_MARK = "# Completion (from here on";

    /**
     * The completion part of {@code shell}'s snippet, alone, as a file that the shell loads by
     * itself when {@code jobs} is completed (a package installs it); {@code launcher} runs jobs.
     * zsh autoloads the file as the function that completes: it defines the helpers, then
     * completes this first time.
     */
    static String completion(String shell, String launcher) {
        String snippet = switch (shell) {
            case "bash" -> InitBash.text(launcher, "/nonexistent");
            case "zsh" -> InitZsh.text(launcher, "/nonexistent");
            case "fish" -> InitFish.text(launcher, "/nonexistent");
            default -> throw new JobsException(2, "completion: unknown shell '" + shell + "' (bash, zsh or fish)");
        };
        String part = snippet.substring(snippet.indexOf(COMPLETION_MARK));
        part = part.substring(part.indexOf('\n') + 1);
        String head = "# jobs: completion for " + shell + ", made by the build from 'jobs init " + shell + "'\n";
        if (shell.equals("zsh")) return "#compdef jobs\n" + head + part + "__jobs_tool_complete \"$@\"\n";
        return head + part;
    }

    /**
     * The launcher this JVM was started by, so the snippet works without {@code jobs} on PATH: an
     * installed copy's names itself in {@value #LAUNCHER}, a checkout's is {@code jobs.home/jobs}.
     */
    private static String launcher() {
        String installed = System.getProperty(LAUNCHER);
        if (installed != null) return installed;
        String home = System.getProperty("jobs.home");
        if (home != null) {
            Path p = Path.of(home, "jobs");
            if (Files.isExecutable(p)) return canonical(p).toString();
        }
        return "jobs";
    }

    /** The launcher's home as it was called (it may be relative to a cwd: ./jobs, ../jobs). */
    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** As {@link #quote} for POSIX shells, where a backslash inside single quotes is literal. */
    static String shQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Single quotes for fish, where \\ and \' are the only escapes inside them. */
    static String fishQuote(String word) {
        return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
