package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import jobs.client.JobsException;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final Map<String, String> BASH = Map.of("SHELL", "/usr/bin/bash");

    private static Command parse(String... args) {
        return CommandLine.parse(List.of(args), BASH);
    }

    private static JobsException usage(String... args) {
        JobsException e = assertThrows(JobsException.class, () -> parse(args));
        assertEquals(2, e.exitCode());
        return e;
    }

    @Test
    void runTakesTheExactArgv() {
        assertEquals(new Command.Run(List.of("sleep", "10"), false), parse("run", "sleep", "10"));
        assertEquals(new Command.Run(List.of("echo", "a b", "-d"), true), parse("run", "-d", "echo", "a b", "-d"));
        assertEquals(new Command.Run(List.of("ls", "-l"), true), parse("run", "--detached", "ls", "-l"));
    }

    @Test
    void doubleDashBeforeOrAfterTheCommand() {
        assertEquals(new Command.Run(List.of("ls", "-l"), false), parse("run", "ls", "--", "-l"));
        assertEquals(new Command.Run(List.of("-weird", "x"), false), parse("run", "--", "-weird", "x"));
        // after 'run --' every word belongs to the job, a second '--' too
        assertEquals(new Command.Run(List.of("git", "--", "f"), false), parse("run", "--", "git", "--", "f"));
        // only the '--' right after CMD is ours
        assertEquals(new Command.Run(List.of("git", "diff", "--", "f"), false), parse("run", "git", "diff", "--", "f"));
    }

    @Test
    void oneWordWithShellSyntaxRunsInTheShell() {
        assertEquals(new Command.Run(List.of("/usr/bin/bash", "-c", "make && ./a.out"), false),
                parse("run", "make && ./a.out"));
        assertEquals(new Command.Run(List.of("/bin/sh", "-c", "echo $HOME"), false),
                CommandLine.parse(List.of("run", "echo $HOME"), Map.of("SHELL", "/usr/bin/nu")));
        assertEquals(new Command.Run(List.of("/bin/sh", "-c", "ls *"), false),
                CommandLine.parse(List.of("run", "ls *"), Map.of()));
        assertEquals(new Command.Run(List.of("/bin/zsh", "-c", "a|b"), false),
                CommandLine.parse(List.of("run", "a|b"), Map.of("SHELL", "/bin/zsh")));
        // several words are never re-split or wrapped
        assertEquals(new Command.Run(List.of("echo", "a;b"), false), parse("run", "echo", "a;b"));
        assertEquals(new Command.Run(List.of("./plain-name"), false), parse("run", "./plain-name"));
    }

    @Test
    void runUsageErrors() {
        assertEquals("run: no command given (see 'jobs --help')", usage("run").getMessage());
        assertEquals("run: no command given (see 'jobs --help')", usage("run", "-d").getMessage());
        assertEquals("run: unknown option '-x' (see 'jobs --help')", usage("run", "-x", "ls").getMessage());
        assertEquals("run: unknown option '--frob' (see 'jobs --help')", usage("run", "--frob", "ls").getMessage());
    }

    @Test
    void runWaitsForAQueueOtherJobsOrATime() {
        assertEquals(new Command.Run(List.of("make"), true, null, null, "gpu", List.of("3", "%2", "build"), null, null),
                parse("run", "-dq", "gpu", "--after", "3,%2", "--after=build", "make"));
        assertEquals(new Command.Run(List.of("make"), false, null, null, "io", List.of(), Duration.ofMinutes(90), null),
                parse("run", "--queue=io", "--delay", "1h30m", "make"));
        assertEquals(new Command.Run(List.of("ls"), false, null, null, null, List.of(), null, LocalTime.of(7, 5)),
                parse("run", "--at", "7:05", "ls"));
        assertEquals("run: --delay and --at together (see 'jobs --help')",
                usage("run", "--delay", "5", "--at", "10:00", "ls").getMessage());
        assertEquals("run: --after: '99999999999' is not a job id (see 'jobs --help')",
                usage("run", "--after", "99999999999", "ls").getMessage());
        assertEquals("run: --delay: '5x' is not a duration (30s, 10m, 2h, 1h30m) (see 'jobs --help')",
                usage("run", "--delay", "5x", "ls").getMessage());
        assertEquals("run: -q needs a queue NAME (see 'jobs --help')", usage("run", "-q").getMessage());
        usage("run", "--at", "25:00", "ls");
        usage("run", "-q", "a b", "ls");
        usage("run", "--after", "1,,2", "ls");
    }

    @Test
    void aStartTimeIsTheNextSuchTimeOfDay() {
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        java.time.Instant now = java.time.Instant.parse("2026-12-07T10:00:30Z");
        assertEquals("2026-12-07T14:05:00Z", ((Command.Run) parse("run", "--at", "14:05", "ls")).startAt(now, utc));
        assertEquals("2026-12-08T09:00:00Z", ((Command.Run) parse("run", "--at", "09:00", "ls")).startAt(now, utc));
        assertEquals("2026-12-07T10:01:00Z", ((Command.Run) parse("run", "--delay", "30s", "ls")).startAt(now, utc));
        assertEquals(null, ((Command.Run) parse("run", "ls")).startAt(now, utc));
    }

    @Test
    void queueAndStart() {
        assertEquals(new Command.Queue(null, null, false, false), parse("queue"));
        assertEquals(new Command.Queue("gpu", 3, true, false), parse("q", "gpu", "-p", "3", "--pause"));
        assertEquals(new Command.Queue("gpu", 2, false, true), parse("queue", "--parallel=2", "gpu", "--resume"));
        assertEquals(new Command.Start("%make"), parse("start", "%make"));
        assertEquals(new Command.Rerun("build", true), parse("rer", "-d", "build"));
        usage("rerun");
        assertEquals("queue: which queue? (jobs queue NAME ...) (see 'jobs --help')", usage("queue", "--pause").getMessage());
        usage("queue", "gpu", "--parallel", "0");
        usage("queue", "gpu", "--pause", "--resume");
        usage("queue", "a", "b");
        usage("start");
        usage("start", "1", "2");
    }

    @Test
    void uniquePrefixesAndAliases() {
        assertEquals(new Command.ListJobs(false), parse("l"));
        assertEquals(new Command.ListJobs(true), parse("ls", "--json"));
        assertEquals(new Command.Continue(2, false, false), parse("c", "2"));
        assertEquals(new Command.Continue(2, false, false), parse("fg", "2"));
        assertEquals(new Command.Continue(null, true, false), parse("resume", "-d"));
        assertEquals(new Command.Continue(null, false, false), parse("re"));
        assertEquals(new Command.Run(List.of("x"), false), parse("ru", "x"));
        assertEquals(new Command.KillServer(), parse("k"));
        assertEquals(new Command.Daemon(null), parse("d"));
        assertEquals("ambiguous command 'r': run, resume (see 'jobs --help')", usage("r", "x").getMessage());
        assertEquals("unknown command 'frob' (see 'jobs --help')", usage("frob").getMessage());
        assertEquals("no command given (see 'jobs --help')", usage().getMessage());
        assertEquals("unknown option '--frob' (see 'jobs --help')", usage("--frob").getMessage());
    }

    @Test
    void continueOptionsAndIds() {
        assertEquals(new Command.Continue(3, true, true), parse("continue", "-do", "%3"));
        assertEquals(new Command.Continue(3, true, true), parse("continue", "3", "--fetch-output", "--detached"));
        assertEquals(new Command.Continue(null, false, true), parse("continue", "-o", "%+"));
        assertEquals(new Command.Continue(null, false, false), parse("continue", "%%"));
        // a word that is not a number is a name or a jobspec, for the daemon to resolve
        assertEquals(new Command.Continue(null, false, false, "x", false, null), parse("continue", "x"));
        assertEquals(new Command.Continue(null, false, false, "%sl", false, null), parse("fg", "%sl"));
        assertEquals(new Command.Continue(3, false, false, null, true, null), parse("continue", "--steal", "3"));
        assertEquals(new Command.Continue(null, false, true, "build", true, null), parse("continue", "build", "-o", "--steal"));
        assertEquals("continue: --steal needs the job's ID or name (see 'jobs --help')",
                usage("continue", "--steal").getMessage());
        assertEquals("continue: '%' is not a job id (see 'jobs --help')", usage("continue", "%").getMessage());
        assertEquals("continue: '99999999999' is not a job id (see 'jobs --help')",
                usage("continue", "99999999999").getMessage());
        assertEquals("continue: unexpected argument '4' (see 'jobs --help')", usage("continue", "3", "4").getMessage());
        assertEquals("continue: unknown option '-x' (see 'jobs --help')", usage("continue", "-x").getMessage());
    }

    @Test
    void newerCommandsGiveWayToOlderOnesOnASharedPrefix() {
        assertEquals(new Command.Continue(2, false, false), parse("c", "2"));
        assertEquals(new Command.KillServer(), parse("k"));
        assertEquals(new Command.KillServer(), parse("kill-"));
        assertEquals(new Command.Clean(List.of()), parse("cl"));
        assertEquals(new Command.Wait(List.of(), false, null), parse("w"));
        assertEquals(new Command.Kill(List.of("3"), false, 15, null), parse("kill", "3"));
    }

    @Test
    void runNames() {
        assertEquals(new Command.Run(List.of("make"), false, "build", null), parse("run", "--name", "build", "make"));
        assertEquals(new Command.Run(List.of("make"), true, "build", null), parse("run", "-d", "-n", "build", "make"));
        assertEquals(new Command.Run(List.of("make"), false, "b.1", null), parse("run", "--name=b.1", "make"));
        assertEquals("run: --name needs a NAME (see 'jobs --help')", usage("run", "--name").getMessage());
        assertEquals("run: bad name '12': a name cannot be a number (it would read as an id) (see 'jobs --help')",
                usage("run", "--name", "12", "make").getMessage());
        usage("run", "--name", "%x", "make");
        usage("run", "--name", "-x", "make");
        usage("run", "--name", "a b", "make");
        usage("run", "--name", "", "make");
        usage("run", "--name", "x".repeat(65), "make");
    }

    @Test
    void killSignalsAndTargets() {
        assertEquals(new Command.Kill(List.of("3", "build", "%sl"), false, 15, null), parse("kill", "3", "build", "%sl"));
        for (String hup : List.of("HUP", "SIGHUP", "1", "hup")) {
            assertEquals(new Command.Kill(List.of("3"), false, 1, null), parse("kill", "-s", hup, "3"));
        }
        assertEquals(new Command.Kill(List.of("3"), false, 9, null), parse("kill", "-9", "3"));
        assertEquals(new Command.Kill(List.of("3"), false, 2, null), parse("kill", "-INT", "3"));
        assertEquals(new Command.Kill(List.of("3"), false, 1, null), parse("kill", "--signal=HUP", "3"));
        assertEquals(new Command.Kill(List.of(), true, 15, 2500L), parse("kill", "--all", "--timeout", "2.5"));
        assertEquals(new Command.Kill(List.of(), true, 15, 3000L), parse("kill", "-a", "--timeout=3"));
        assertEquals(new Command.Kill(List.of("-x"), false, 15, null), parse("kill", "--", "-x"));
        assertEquals("kill: unknown signal 'BOGUS' (try TERM, HUP, KILL, INT or 1-64) (see 'jobs --help')",
                usage("kill", "-s", "BOGUS", "3").getMessage());
        usage("kill", "-s", "0", "3");
        usage("kill", "-s", "65", "3");
        assertEquals("kill: unknown option '-BOGUS' (see 'jobs --help')", usage("kill", "-BOGUS", "3").getMessage());
        assertEquals("kill: -s needs SIG (see 'jobs --help')", usage("kill", "3", "-s").getMessage());
        assertEquals("kill: no job given (an ID, a name, or --all) (see 'jobs --help')", usage("kill").getMessage());
        assertEquals("kill: --all takes no job IDs (see 'jobs --help')", usage("kill", "--all", "3").getMessage());
        assertEquals("kill: 'soon' is not a number of seconds (see 'jobs --help')",
                usage("kill", "--timeout", "soon", "3").getMessage());
        usage("kill", "--timeout", "-1", "3");
        assertEquals("kill: '%' is not a job id (see 'jobs --help')", usage("kill", "%").getMessage());
        assertEquals("kill: '99999999999' is not a job id (see 'jobs --help')", usage("kill", "99999999999").getMessage());
    }

    @Test
    void waitAndClean() {
        assertEquals(new Command.Wait(List.of(), false, null), parse("wait"));
        assertEquals(new Command.Wait(List.of("1", "%2", "build"), true, 500L),
                parse("wait", "--any", "1", "%2", "build", "--timeout", "0.5"));
        assertEquals(new Command.Wait(List.of("1"), true, 2000L), parse("wait", "-n", "-t", "2", "1"));
        assertEquals("wait: unknown option '--all' (see 'jobs --help')", usage("wait", "--all").getMessage());
        assertEquals("wait: --timeout needs SECS (see 'jobs --help')", usage("wait", "--timeout").getMessage());
        assertEquals(new Command.Clean(List.of()), parse("clean"));
        assertEquals(new Command.Clean(List.of("3", "build")), parse("clean", "3", "build"));
        assertEquals("clean: unknown option '-f' (see 'jobs --help')", usage("clean", "-f").getMessage());
    }

    @Test
    void otherCommands() {
        assertEquals(new Command.Daemon(Path.of("/tmp/d.log")), parse("daemon", "--log-file", "/tmp/d.log"));
        assertEquals(new Command.Daemon(Path.of("/tmp/d.log")), parse("daemon", "--log-file=/tmp/d.log"));
        assertEquals(new Command.Runner(List.of("3", "tok", "/s")), parse("__runner", "3", "tok", "/s"));
        assertEquals(new Command.Version(), parse("--version"));
        usage("daemon", "--log-file");
        usage("list", "extra");
        usage("kill-server", "now");
        usage("__run");
    }

    @Test
    void helpEverywhere() {
        assertEquals(new Command.Help(Help.GLOBAL), parse("--help"));
        assertEquals(new Command.Help(Help.GLOBAL), parse("-h"));
        assertEquals(new Command.Help(Help.GLOBAL), parse("help"));
        assertEquals(new Command.Help(Help.RUN), parse("help", "ru"));
        assertEquals(new Command.Help(Help.RUN), parse("run", "--help"));
        assertEquals(new Command.Help(Help.RUN), parse("run", "-dh"));
        assertEquals(new Command.Help(Help.CONTINUE), parse("fg", "-h"));
        assertEquals(new Command.Help(Help.LIST), parse("list", "--help"));
        assertEquals(new Command.Help(Help.KILL_SERVER), parse("kill-server", "-h"));
        assertEquals(new Command.Help(Help.DAEMON), parse("daemon", "--help"));
        assertEquals(new Command.Help(Help.KILL), parse("kill", "--help"));
        assertEquals(new Command.Help(Help.KILL), parse("help", "kill"));
        assertEquals(new Command.Help(Help.WAIT), parse("wait", "-h"));
        assertEquals(new Command.Help(Help.WAIT), parse("help", "wait"));
        assertEquals(new Command.Help(Help.CLEAN), parse("clean", "--help"));
        assertEquals(new Command.Help(Help.CLEAN), parse("help", "clean"));
        // after CMD, --help belongs to the job
        assertInstanceOf(Command.Run.class, parse("run", "ls", "--help"));
    }

    @Test
    void detachKeyOnRunAndContinue() {
        assertEquals(new Command.Run(List.of("vim"), false, null, "^]"), parse("run", "--detach-key", "^]", "vim"));
        assertEquals(new Command.Run(List.of("vim"), false, null, "none"), parse("run", "--detach-key=none", "vim"));
        assertEquals(new Command.Continue(3, false, true, null, false, "^\\"), parse("continue", "-o", "--detach-key", "^\\", "3"));
        for (String[] bad : new String[][] {{"run", "--detach-key", "x", "vim"}, {"run", "--detach-key"},
                {"continue", "--detach-key=ctrl"}}) {
            JobsException e = assertThrows(JobsException.class, () -> parse(bad));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("--detach-key"), e.getMessage());
        }
    }

    @Test
    void initTakesOneKnownShell() {
        assertEquals(new Command.Init("bash"), parse("init", "bash"));
        assertEquals(new Command.Init("fish"), parse("init", "fish"));
        assertEquals(2, assertThrows(JobsException.class, () -> parse("init")).exitCode());
        assertEquals(2, assertThrows(JobsException.class, () -> parse("init", "tcsh")).exitCode());
        assertEquals(new Command.Complete("ids"), parse("__complete", "ids"));
        assertEquals(new Command.Complete("queues"), parse("__complete", "queues"));
    }

    @Test
    void logTakesTheJobWordLinesAndFollow() {
        assertEquals(new Command.Log("3", 0, false), parse("log", "3"));
        assertEquals(new Command.Log("%3", 20, true), parse("log", "-n", "20", "-f", "%3"));
        assertEquals(new Command.Log("3", 5, true), parse("log", "--follow", "--lines=5", "3"));
        assertEquals(new Command.Log("3", 7, false), parse("log", "-n7", "3"));
        assertEquals(new Command.Log("3", -1, false), parse("log", "-n", "0", "3"));
        assertEquals(new Command.Log("-3", 0, false), parse("log", "--", "-3"));
        assertEquals(new Command.Log("3", 0, false), parse("lo", "3"));
        assertInstanceOf(Command.Help.class, parse("log", "--help"));
        // 'l' still means list, as it did before log existed
        assertEquals(new Command.ListJobs(false), parse("l"));
    }

    @Test
    void logUsageErrors() {
        assertEquals("log: which job? (give its ID) (see 'jobs --help')", usage("log").getMessage());
        assertEquals("log: 'x' is not a number of lines (see 'jobs --help')", usage("log", "-n", "x", "3").getMessage());
        assertEquals("log: -n needs a number of LINES (see 'jobs --help')", usage("log", "3", "-n").getMessage());
        assertEquals("log: unknown option '-z' (see 'jobs --help')", usage("log", "-z", "3").getMessage());
        assertEquals("log: unexpected argument '4' (see 'jobs --help')", usage("log", "3", "4").getMessage());
    }
}
