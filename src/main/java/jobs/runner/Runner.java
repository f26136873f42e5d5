package jobs.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jobs.posix.Errno;
import jobs.posix.Executables;
import jobs.posix.Lookup;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.posix.SpawnException;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.Report;

/**
 * One job's runner. It leads the pty's session (pty4j made it so), starts the job in its own
 * process group in the terminal's foreground ({@link JobGroup}), and then has two platform
 * threads: the main thread waits on the job and reports each change of state ({@link WaitLoop});
 * the link thread obeys the daemon's Resume and, when the daemon goes away, finds the next one
 * ({@link DaemonOrders}). They meet in the {@link DaemonSlot}.
 *
 * <p>The job outlives its daemon: the runner holds a copy of the pty master (it came with Start),
 * so a dead daemon closes nothing that matters and what the job writes waits in the pty (a job
 * that fills it blocks). The runner keeps the job's last state, final status included, until a
 * daemon has taken it: it leaves only after the daemon's Goodbye (or Adopted, for a job that
 * ended while no daemon was there). A runner given no master (an older daemon, the AOT training)
 * hangs its job up when the daemon goes, as before ({@link HangUp}).
 */
final class Runner {
    private Runner() {}

    /**
     * Runs the whole life of the runner; returns its exit status. Arguments: {@code JOB_ID TOKEN
     * SOCKET} for a runner started for its job, {@code warm NUMBER TOKEN SOCKET} for one of the
     * daemon's pool, which learns its job only from Start.
     */
    static int run(String[] args) throws IOException {
        boolean warm = args.length == 4 && args[0].equals("warm");
        if (args.length != 3 && !warm) return 1;
        int number = Integer.parseInt(args[warm ? 1 : 0]);
        String token = args[warm ? 2 : 1];
        quietSignals();
        Path socket = Path.of(args[warm ? 3 : 2]);
        DaemonLink link = DaemonLink.connect(socket);
        link.send(warm ? new RunnerMessage.Warm(number, token) : new RunnerMessage.Hello(number, token));
        if (warm) WarmUp.run();
        if (!(link.read() instanceof RunnerMessage.Start start)) {
            link.close();
            return 1;
        }
        int master = link.takeDescriptor();
        long pid;
        try {
            pid = spawn(start);
        } catch (SpawnException e) {
            link.send(Report.spawnFailed(e.errno()));
            link.close();
            return 0;
        }
        StartedJob job = new StartedJob(start, pid, master, Instant.now());
        JobGroup group = new JobGroup(pid);
        DaemonSlot slot = new DaemonSlot(link);
        HangUp hangUp = new HangUp(group, link);
        WaitLoop waitLoop = new WaitLoop(job, group, slot, hangUp, link);
        waitLoop.report(Report.running(pid));
        Thread obey = new Thread(new DaemonOrders(job, group, slot, hangUp, link, socket), "runner-link");
        obey.setDaemon(true);
        obey.start();
        return waitLoop.watch();
    }

    /**
     * The runner leads the session, so once it holds the terminal (the job stopped) the line
     * discipline's ^C, ^\ and ^Z would reach it: the JVM would exit or dump threads onto the
     * job's screen, or stop. SIGTTOU must be ignored before a background group may tcsetpgrp.
     * SIGHUP comes when the last pty master closes (a runner without its own copy whose daemon
     * died): the runner must outlive it to make sure that the job goes too (see HangUp).
     * The job gets every signal back at its default (see Processes.spawn).
     */
    private static void quietSignals() throws IOException {
        for (int sig : new int[] {Signals.SIGTTOU, Signals.SIGTTIN, Signals.SIGTSTP, Signals.SIGINT, Signals.SIGQUIT,
                Signals.SIGHUP}) {
            Processes.ignoreSignal(sig);
        }
    }

    private static long spawn(RunnerMessage.Start start) throws SpawnException {
        List<String> command = start.command();
        if (command == null || command.isEmpty()) throw new SpawnException("execve", Errno.ENOENT);
        Path cwd = Path.of(start.cwd() == null ? "" : start.cwd()).toAbsolutePath();
        String path = start.env() == null ? null : start.env().get("PATH");
        Lookup found = Executables.resolve(command.getFirst(), path, cwd);
        // instanceof, not a pattern switch: each switch site bootstraps on its first run (5-7 ms
        // here), on the way from Start to the job's first instruction and from its exit to the report
        if (found instanceof Lookup.Found f) return Processes.spawn(f.path().toString(), command, start.env(), cwd, true);
        throw new SpawnException("execve", found instanceof Lookup.NotExecutable ? Errno.EACCES : Errno.ENOENT);
    }
}
