package jobs.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import jobs.config.Settings;
import jobs.posix.Errno;
import jobs.posix.Executables;
import jobs.posix.Lookup;
import jobs.posix.Processes;
import jobs.posix.Signals;
import jobs.posix.SpawnException;
import jobs.posix.Terminal;
import jobs.posix.WaitStatus;
import jobs.posix.WinSize;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.Report;

/**
 * One job's runner. It leads the pty's session (pty4j made it so), starts the job in its own
 * process group in the terminal's foreground, and then has two platform threads:
 * the main thread waits on the job and reports each change of state; the link thread obeys the
 * daemon's Resume and, when the daemon goes away, finds the next one (see {@link #rejoin}).
 *
 * <p>The terminal goes back and forth as in a shell: the job's group is in the foreground while
 * it runs; when it stops, the runner takes the terminal back (else nobody could give it to the job
 * again), and Resume hands it to the job before SIGCONT so the job never runs in the background.
 *
 * <p>The job outlives its daemon: the runner holds a copy of the pty master (it came with Start),
 * so a dead daemon closes nothing that matters and what the job writes waits in the pty (a job
 * that fills it blocks). The runner keeps the job's last state, final status included, until a
 * daemon has taken it: it leaves only after the daemon's Goodbye (or Adopted, for a job that
 * ended while no daemon was there). A runner given no master (an older daemon, the AOT training)
 * hangs its job up when the daemon goes, as before.
 */
final class Runner {
    private final DaemonLink first;
    private final long pid;
    private final Path socket;
    private final RunnerMessage.Start start;
    /** The job's pty master, or -1: the job cannot outlive the daemon. */
    private final int master;
    private final Instant startedAt = Instant.now();
    private final Object ending = new Object();
    /** The terminal's size when the job last stopped, which is the last size it can know of. */
    private volatile Optional<WinSize> sizeAtStop = Optional.empty();
    private boolean finished; // guarded by ending
    private boolean lost;     // guarded by ending: the daemon went away while the job ran (not adoptable)
    private final Object linkLock = new Object();
    private DaemonLink link;  // guarded by linkLock; null while no daemon has the job
    private Report last;      // guarded by linkLock: the state the next daemon must learn
    private final CountDownLatch released = new CountDownLatch(1);
    /** Output a restarting daemon left with us (RunnerMessage.Output), for the next one; link thread only. */
    private final java.util.List<RunnerMessage.Output> unseen = new java.util.ArrayList<>();
    private long unseenBytes;
    /** Whether a client is attached, as the daemon last said (RunnerMessage.Attached); for Adopt. */
    private volatile boolean attached;
    /** The daemon said it hands over (RunnerMessage.HandingOver): its successor is someone else's to start. */
    private volatile boolean handedOver;

    private Runner(DaemonLink link, long pid, Path socket, RunnerMessage.Start start, int master) {
        this.first = link;
        this.link = link;
        this.pid = pid;
        this.socket = socket;
        this.start = start;
        this.master = master;
    }

    private boolean adoptable() {
        return master >= 0 && start.adoptToken() != null && start.jobId() > 0;
    }

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
        Runner runner = new Runner(link, pid, socket, start, master);
        runner.report(Report.running(pid));
        Thread obey = new Thread(runner::obey, "runner-link");
        obey.setDaemon(true);
        obey.start();
        return runner.watch();
    }

    /**
     * The runner leads the session, so once it holds the terminal (the job stopped) the line
     * discipline's ^C, ^\ and ^Z would reach it: the JVM would exit or dump threads onto the
     * job's screen, or stop. SIGTTOU must be ignored before a background group may tcsetpgrp.
     * SIGHUP comes when the last pty master closes (a runner without its own copy whose daemon
     * died): the runner must outlive it to make sure that the job goes too (see hangUp).
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

    /** Reports every change of the job's state until it is gone. */
    private int watch() {
        while (true) {
            WaitStatus status;
            try {
                status = Processes.waitpid(pid);
            } catch (IOException e) {
                // cannot happen for our own child; if it does, nobody can track the job any more
                hangUp(1);
                return 1;
            }
            // instanceof, not a pattern switch: see spawn
            if (status instanceof WaitStatus.Exited e) return finish(Report.exited(pid, e.code()));
            if (status instanceof WaitStatus.Signaled s) return finish(Report.signaled(pid, s.signal()));
            if (status instanceof WaitStatus.Stopped st) {
                takeTerminal();
                // from here on a resize signals the runner, not the job: resume() makes up for it
                sizeAtStop = Terminal.size(0);
                report(Report.stopped(pid, st.signal()));
            } else {
                report(Report.running(pid));
            }
        }
    }

    private int finish(Report end) {
        if (adoptable()) {
            report(end);
            // until a daemon has the final status, the job is not over for anyone
            awaitReleased();
            return 0;
        }
        boolean hangingUp;
        synchronized (ending) {
            finished = true;
            hangingUp = lost;
        }
        if (hangingUp) parkForever(); // hangUp clears the rest of the job's group, then halts
        try {
            first.send(end);
        } catch (IOException ignored) {
            // the daemon is gone too: nobody is left to tell
        }
        first.close();
        return 0;
    }

    private void awaitReleased() {
        while (true) {
            try {
                released.await();
                return;
            } catch (InterruptedException e) {
                // nothing interrupts this thread on purpose: keep the final status
            }
        }
    }

    private void takeTerminal() {
        try {
            Processes.tcsetpgrp(0, Processes.getpid());
        } catch (IOException ignored) {
            // the pty is gone (daemon died); the closed link ends the runner
        }
    }

    /**
     * Obeys the daemon until it closes the connection, then (for a job that can outlive it)
     * finds the next daemon and obeys that one. Runs on its own platform thread.
     */
    private void obey() {
        DaemonLink l = first;
        while (true) {
            try {
                for (Message m = l.read(); m != null; m = l.read()) {
                    if (m instanceof RunnerMessage.Resume) resume();
                    else if (m instanceof RunnerMessage.Goodbye) released.countDown();
                    else if (m instanceof RunnerMessage.Output out) keep(out);
                    else if (m instanceof RunnerMessage.Attached a) attached = a.attached();
                    else if (m instanceof RunnerMessage.HandingOver) handedOver = true;
                }
            } catch (IOException | RuntimeException e) {
                // a broken link means the same as a closed one: the daemon is gone
            }
            if (released.getCount() == 0) return; // the main thread is leaving
            if (!adoptable()) {
                hangUp(0);
                return;
            }
            l = rejoin(l);
        }
    }

    /**
     * The daemon is gone: nothing happens to the job. Waits for a daemon of ours (starting one
     * if need be) and hands it the job with Adopt: its state and the pty master. Until then the
     * waiter's reports only update what Adopt will say.
     */
    private DaemonLink rejoin(DaemonLink old) {
        synchronized (linkLock) {
            if (link == old) link = null;
        }
        old.close();
        Reconnect reconnect = new Reconnect(socket, handedOver);
        handedOver = false;
        while (true) {
            DaemonLink l = reconnect.await();
            boolean carriedEnd;
            try {
                synchronized (linkLock) {
                    carriedEnd = isEnd(last);
                    l.send(adopt(), master);
                    for (RunnerMessage.Output out : unseen) l.send(out);
                    link = l;
                }
                if (l.read() instanceof RunnerMessage.Adopted) {
                    unseen.clear();
                    unseenBytes = 0;
                    if (carriedEnd) released.countDown();
                    return l;
                }
            } catch (IOException | RuntimeException e) {
                // gone again, or refused us: try again later
            }
            synchronized (linkLock) {
                if (link == l) link = null;
            }
            l.close();
            reconnect.refused();
        }
    }

    private RunnerMessage.Adopt adopt() {
        Report r = last;
        RunnerMessage.ReportKind state = r == null ? RunnerMessage.ReportKind.RUNNING : r.kind();
        return new RunnerMessage.Adopt(start.jobId(), start.adoptToken(), start.command(), start.name(), pid, state,
                r == null ? null : r.exitCode(), r == null ? null : r.signal(), startedAt.toString(), attached,
                unseenBytes, RunnerMessage.CONTRACT, start.env());
    }

    private void keep(RunnerMessage.Output out) {
        try {
            unseenBytes += java.util.Base64.getDecoder().decode(out.base64()).length;
            unseen.add(out);
        } catch (IllegalArgumentException | NullPointerException malformed) {
            // not from a daemon of ours: nothing to keep
        }
    }

    private static boolean isEnd(Report r) {
        return r != null && (r.kind() == RunnerMessage.ReportKind.EXITED || r.kind() == RunnerMessage.ReportKind.SIGNALED);
    }

    private void resume() {
        try {
            Processes.tcsetpgrp(0, pid);
        } catch (IOException ignored) {
            // SIGCONT anyway: a job running in the background is better than one stuck stopped
        }
        signalJob(Signals.SIGCONT);
        // read after tcsetpgrp: a resize from then on reaches the job's group by itself
        if (!Terminal.size(0).equals(sizeAtStop)) signalJob(Signals.SIGWINCH);
    }

    /** Tells the daemon, if there is one now; the next one learns the last state from Adopt. */
    private void report(Report r) {
        boolean failed = false;
        synchronized (linkLock) {
            last = r;
            if (link != null) {
                try {
                    link.send(r);
                } catch (IOException e) {
                    failed = true; // the link thread sees the same loss and deals with it
                }
            }
        }
        if (failed && !adoptable()) hangUp(0);
    }

    /**
     * Only for a job started without its pty master (see the class comment): the daemon is gone,
     * and with it the only master, so no one will ever see this job's output or resume it: hang it up as a
     * closing terminal would (SIGCONT so that a stopped job receives the SIGHUP) and leave. What
     * ignores SIGHUP gets SIGKILL after the grace period, as kill-server does: nobody could ever
     * reach it again.
     */
    private void hangUp(int status) {
        boolean clear;
        synchronized (ending) {
            clear = !finished && !lost;
            lost = true;
        }
        if (clear) {
            signalJob(Signals.SIGHUP);
            signalJob(Signals.SIGCONT);
            long deadline = System.nanoTime() + Settings.DEFAULTS.killGraceMillis() * 1_000_000L;
            while (groupExists() && System.nanoTime() < deadline) pause();
            if (groupExists()) signalJob(Signals.SIGKILL);
        }
        first.close();
        Runtime.getRuntime().halt(status);
    }

    /** True while any process is left in the job's group (zombies of ours included). */
    private boolean groupExists() {
        try {
            Processes.kill(-pid, 0);
            return true;
        } catch (IOException esrch) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void parkForever() {
        while (true) LockSupport.park();
    }

    private void signalJob(int signal) {
        try {
            Processes.kill(-pid, signal);
        } catch (IOException ignored) {
            // ESRCH: the group is already gone
        }
    }
}
