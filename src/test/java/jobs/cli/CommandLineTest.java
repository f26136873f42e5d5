package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
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
        assertEquals("continue: 'x' is not a job id (see 'jobs --help')", usage("continue", "x").getMessage());
        assertEquals("continue: '%' is not a job id (see 'jobs --help')", usage("continue", "%").getMessage());
        assertEquals("continue: '99999999999' is not a job id (see 'jobs --help')",
                usage("continue", "99999999999").getMessage());
        assertEquals("continue: unexpected argument '4' (see 'jobs --help')", usage("continue", "3", "4").getMessage());
        assertEquals("continue: unknown option '-x' (see 'jobs --help')", usage("continue", "-x").getMessage());
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
        // after CMD, --help belongs to the job
        assertInstanceOf(Command.Run.class, parse("run", "ls", "--help"));
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
