package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.client.JobsException;
import org.junit.jupiter.api.Test;

/** The exact words and exit code of the usage errors and the commands CommandLineTest leaves out. */
class CommandLineUsageTest {
    private static final Map<String, String> BASH = Map.of("SHELL", "/usr/bin/bash");

    private static Command parse(String... args) {
        return CommandLine.parse(List.of(args), BASH);
    }

    private static String usage(String... args) {
        JobsException e = assertThrows(JobsException.class, () -> parse(args));
        assertEquals(2, e.exitCode());
        return e.getMessage();
    }

    @Test
    void hiddenEntriesAndVersion() {
        assertEquals(new Command.NewBuild(), parse("__new-build"));
        assertEquals("unknown command '__new-build' (see 'jobs --help')", usage("__new-build", "x"));
        assertEquals(new Command.Version(), parse("-V"));
        assertEquals(new Command.Runner(List.of()), parse("__runner"));
        assertEquals("__complete: expected 'ids' or 'queues' (see 'jobs --help')", usage("__complete"));
        assertEquals("__complete: expected 'ids' or 'queues' (see 'jobs --help')", usage("__complete", "names"));
        assertEquals("__complete: expected 'ids' or 'queues' (see 'jobs --help')", usage("__complete", "ids", "x"));
        assertEquals("unknown option '-x' (see 'jobs --help')", usage("-x"));
    }

    @Test
    void restartServerOnlyInFull() {
        assertEquals(new Command.RestartServer(), parse("restart-server"));
        assertEquals(new Command.Help(Help.RESTART_SERVER), parse("restart-server", "--help"));
        assertEquals(new Command.Help(Help.RESTART_SERVER), parse("help", "restart-server"));
        assertEquals("unknown command 'restart' (see 'jobs --help')", usage("restart"));
        assertEquals("unknown command 'restart-serve' (see 'jobs --help')", usage("restart-serve"));
        assertEquals("restart-server: unknown option '-f' (see 'jobs --help')", usage("restart-server", "-f"));
        assertEquals("restart-server: unexpected argument 'now' (see 'jobs --help')", usage("restart-server", "now"));
    }

    @Test
    void prefixesOfNewerAndOlderCommands() {
        assertEquals(new Command.KillServer(), parse("ki"));
        assertEquals(new Command.Kill(List.of("3"), false, 15, null), parse("kill", "3"));
        assertEquals(new Command.Log("3", 0, false), parse("log", "3"));
        assertEquals(new Command.ListJobs(false), parse("li"));
        assertEquals(new Command.Init("zsh"), parse("i", "zsh"));
        assertEquals(new Command.Help(Help.GLOBAL), parse("he"));
        assertEquals(new Command.Continue(null, false, false), parse("f"));
        assertEquals(new Command.Continue(null, false, false), parse("co"));
        // newer commands alone still share a prefix: all of them are named
        assertEquals(new Command.Wait(List.of(), false, null), parse("wa"));
        assertEquals("ambiguous command 'r': run, resume (see 'jobs --help')", usage("r"));
        assertEquals("unknown command 'x' (see 'jobs --help')", usage("x"));
        // the order in which names are listed is the order of the help text
        assertEquals("ambiguous command '': run, continue, fg, resume, list, ls, kill-server, log, l, daemon, init, help,"
                + " kill, wait, clean, queue, start, rerun (see 'jobs --help')", usage(""));
    }

    @Test
    void helpForEveryCommand() {
        assertEquals(new Command.Help(Help.GLOBAL), parse("help", "--help"));
        assertEquals(new Command.Help(Help.GLOBAL), parse("help", "-h", "x"));
        assertEquals(new Command.Help(Help.CONTINUE), parse("help", "fg"));
        assertEquals(new Command.Help(Help.LIST), parse("help", "ls"));
        assertEquals(new Command.Help(Help.KILL_SERVER), parse("help", "kill-server"));
        assertEquals(new Command.Help(Help.DAEMON), parse("help", "daemon"));
        assertEquals(new Command.Help(Help.INIT), parse("help", "init"));
        assertEquals(new Command.Help(Help.HELP), parse("help", "help"));
        assertEquals(new Command.Help(Help.LOG), parse("help", "log"));
        assertEquals(new Command.Help(Help.INIT), parse("init", "-h"));
        assertEquals(new Command.Help(Help.RESTART_SERVER), parse("restart-server", "-h"));
        assertEquals("help: unexpected argument 'b' (see 'jobs --help')", usage("help", "a", "b"));
        assertEquals("unknown command 'frob' (see 'jobs --help')", usage("help", "frob"));
        assertEquals("ambiguous command 'r': run, resume (see 'jobs --help')", usage("help", "r"));
    }

    @Test
    void runWordsAndErrors() {
        assertEquals(new Command.Run(List.of("-"), false), parse("run", "-"));
        assertEquals(new Command.Run(List.of("make"), false, "b", null), parse("run", "-n", "b", "make"));
        assertEquals(new Command.Run(List.of("/bin/sh", "-c", "a|b"), false), CommandLine.parse(List.of("run", "a|b"),
                Map.of("SHELL", " ")));
        assertEquals(new Command.Run(List.of("/usr/bin/fish", "-c", "a|b"), false),
                CommandLine.parse(List.of("run", "a|b"), Map.of("SHELL", "/usr/bin/fish")));
        assertEquals("run: -n needs a NAME (see 'jobs --help')", usage("run", "-n"));
        assertEquals("run: the command is an empty word (see 'jobs --help')", usage("run", ""));
        assertEquals("run: no command given (see 'jobs --help')", usage("run", "--"));
        assertEquals("run: bad name '': a name cannot be empty (see 'jobs --help')", usage("run", "--name=", "make"));
        assertEquals("run: --detach-key needs a KEY (^X or none) (see 'jobs --help')", usage("run", "--detach-key"));
        assertEquals("run: unknown option '-x' (see 'jobs --help')", usage("run", "-dx", "ls"));
    }

    @Test
    void continueWordsAndErrors() {
        assertEquals(new Command.Continue(null, false, false, "-3", false, null), parse("continue", "--", "-3"));
        assertEquals(new Command.Continue(null, false, false, "--steal", false, null), parse("continue", "--", "--steal"));
        assertEquals(new Command.Continue(7, false, false, null, false, "none"), parse("fg", "--detach-key=none", "7"));
        assertEquals("continue: unknown option '--frob' (see 'jobs --help')", usage("continue", "--frob"));
        assertEquals("continue: --detach-key needs a KEY (^X or none) (see 'jobs --help')",
                usage("continue", "--detach-key"));
        assertEquals("continue: --steal needs the job's ID or name (see 'jobs --help')", usage("fg", "--steal", "%+"));
        assertEquals("continue: unexpected argument 'y' (see 'jobs --help')", usage("continue", "x", "y"));
    }

    @Test
    void listKillServerDaemonAndInitErrors() {
        assertEquals("list: unknown option '-x' (see 'jobs --help')", usage("list", "-x"));
        assertEquals("list: unexpected argument 'extra' (see 'jobs --help')", usage("list", "extra"));
        assertEquals("kill-server: unknown option '--now' (see 'jobs --help')", usage("kill-server", "--now"));
        assertEquals("kill-server: unexpected argument 'now' (see 'jobs --help')", usage("kill-server", "now"));
        assertEquals(new Command.Daemon(Path.of("d.log")), parse("daemon", "-l", "d.log"));
        assertEquals(new Command.Daemon(null), parse("daemon"));
        assertEquals("daemon: -l needs a FILE (see 'jobs --help')", usage("daemon", "-l"));
        assertEquals("daemon: --log-file needs a FILE (see 'jobs --help')", usage("daemon", "--log-file"));
        assertEquals("daemon: unknown option '-x' (see 'jobs --help')", usage("daemon", "-x"));
        assertEquals("daemon: unexpected argument 'x' (see 'jobs --help')", usage("daemon", "x"));
        assertEquals(new Command.Init("zsh"), parse("init", "zsh"));
        assertEquals("init: which shell? (bash, zsh or fish) (see 'jobs --help')", usage("init"));
        assertEquals("init: unexpected argument 'zsh' (see 'jobs --help')", usage("init", "bash", "zsh"));
        assertEquals("init: unknown shell 'tcsh' (bash, zsh or fish) (see 'jobs --help')", usage("init", "tcsh"));
    }

    @Test
    void jobWordsOfTheOtherCommands() {
        assertEquals(new Command.Clean(List.of("x", "%sl")), parse("clean", "x", "%sl"));
        assertEquals("wait: '99999999999' is not a job id (see 'jobs --help')", usage("wait", "99999999999"));
        assertEquals("clean: '%' is not a job id (see 'jobs --help')", usage("clean", "%"));
        assertEquals("log: '%' is not a job id (see 'jobs --help')", usage("log", "%"));
        assertEquals(new Command.Wait(List.of("%+", "%%", "%sl"), false, null), parse("wait", "%+", "%%", "%sl"));
    }
}
