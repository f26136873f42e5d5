package jobs.cli;

import java.util.List;
import jobs.client.Client;
import jobs.client.DaemonWentAway;
import jobs.client.JobsException;
import jobs.client.OlderDaemon;
import jobs.client.TerminalGuard;
import jobs.daemon.DaemonMain;
import jobs.runner.RunnerMain;

/**
 * The single entry of every process of ours: the CLI client, the daemon and each job's runner.
 * It is the only place that catches {@link JobsException}, prints the one error line and picks
 * the exit code; nothing the user sees is a stack trace.
 */
public final class Main {
    static final String FALLBACK_VERSION = "0.1.0";

    private Main() {}

    public static void main(String[] args) {
        SelectorProviderName.set();
        Command command;
        try {
            command = CommandLine.parse(List.of(args), System.getenv());
        } catch (JobsException e) {
            halt(fail(e));
            return;
        }
        // the runner owns its process and its silence: nothing of ours may print on the job's terminal
        if (command instanceof Command.Runner r) {
            RunnerMain.main(r.args().toArray(String[]::new));
            return;
        }
        int code;
        try {
            code = executeUpgrading(command);
        } catch (JobsException e) {
            code = fail(e);
        } catch (Throwable t) {
            TerminalGuard.restore();
            String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            System.err.println("jobs: internal error: " + why);
            code = 1;
        }
        if (command instanceof Command.Daemon) exit(code);
        else halt(code);
    }

    /**
     * The command a command line names, acting on nothing: a value to compare with equals. For
     * the AOT training, which walks the parser and learns which words name the quick commands.
     */
    public static Object parse(List<String> args) {
        SelectorProviderName.set();
        return CommandLine.parse(args, System.getenv());
    }

    /** A command line carried out as main does, without exiting: for the AOT training. */
    public static int execute(List<String> args) {
        SelectorProviderName.set();
        return execute(CommandLine.parse(args, System.getenv()));
    }

    /**
     * An older daemon refuses a request before acting on it, and a daemon going away (restarting)
     * resets connections whose request it never read: in both cases the command is simply run
     * again, once, when a daemon of this build answers.
     */
    private static int executeUpgrading(Command command) {
        try {
            return execute(command);
        } catch (OlderDaemon old) {
            Client.upgradeDaemon(old);
            return execute(command);
        } catch (DaemonWentAway gone) {
            gone.awaitDaemon();
            return execute(command);
        }
    }

    /**
     * An if-chain, not a pattern switch: the switch's first run makes its dispatch class with the
     * class-file API, which no AOT cache holds (about 8 ms of every command).
     */
    static int execute(Command command) {
        if (command instanceof Command.ListJobs l) return Client.list(l.json());
        if (command instanceof Command.Run r) {
            // the zone only for --at: ZoneId.systemDefault looks its rules up in every jar (~17 ms)
            return Client.run(r.command(), r.detached(), r.name(), r.detachKey(), r.queue(), r.after(),
                    r.startAt(java.time.Instant.now(), r.at() == null ? null : java.time.ZoneId.systemDefault()));
        }
        if (command instanceof Command.Queue q) return Client.queue(q.name(), q.parallel(), q.pause(), q.resume());
        if (command instanceof Command.Start s) return Client.start(s.job());
        if (command instanceof Command.Rerun r) return Client.rerun(r.job(), r.detached());
        if (command instanceof Command.Continue c) {
            return Client.continueJob(c.id(), c.job(), c.detached(), c.fetchOutput(), c.steal(), c.detachKey());
        }
        if (command instanceof Command.Kill k) return Client.kill(k.jobs(), k.all(), k.signal(), k.timeoutMillis());
        if (command instanceof Command.Wait w) return Client.await(w.jobs(), w.any(), w.timeoutMillis());
        if (command instanceof Command.Clean c) return Client.clean(c.jobs());
        if (command instanceof Command.KillServer) return Client.killServer();
        if (command instanceof Command.Complete c) return c.what().equals("queues") ? Client.completeQueues() : Client.completeIds();
        if (command instanceof Command.Init i) {
            System.out.print(ShellInit.snippet(i.shell(), System.getenv()));
            return 0;
        }
        if (command instanceof Command.Log g) return Client.log(g.job(), g.lines(), g.follow());
        if (command instanceof Command.RestartServer) return Client.restartServer();
        if (command instanceof Command.NewBuild) return Client.newBuild();
        if (command instanceof Command.Daemon d) return DaemonMain.run(d.logFile());
        if (command instanceof Command.Help h) {
            System.out.print(h.text());
            return 0;
        }
        if (command instanceof Command.Version) {
            System.out.println("jobs " + version());
            System.out.println(runtime());
            return 0;
        }
        throw new IllegalStateException("unhandled command " + command.getClass().getSimpleName());
    }

    private static int fail(JobsException e) {
        TerminalGuard.restore();
        System.err.println("jobs: " + e.getMessage());
        return e.exitCode();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? FALLBACK_VERSION : v;
    }

    /** The Java runtime this runs on: an installed copy brings its own, a checkout uses a JDK. */
    static String runtime() {
        return "runtime: Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("java.home");
    }

    /** System.exit, so that the blocked stdin reader cannot keep the process alive. */
    private static void exit(int code) {
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * The client's way out. System.exit first asks the platform logging for a logger to log the
     * exit with, a service look-up that opens every jar on the class path: 5-10 ms of each
     * command. The client's one shutdown hook, the terminal's restore, is run here instead.
     */
    private static void halt(int code) {
        TerminalGuard.restore();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
