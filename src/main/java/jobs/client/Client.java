package jobs.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import jobs.protocol.VersionMismatch;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * What the CLI process does as a client of the daemon. Each method returns the process's exit
 * code or throws {@link JobsException}; printing of errors is left to cli.Main. Run and continue
 * live in {@link AttachingClient}: only they need junixsocket, and a class that names it makes
 * the AOT cache of the quick commands load it too.
 */
public final class Client {
    private Client() {}

    /**
     * {@code jobs run [--name NAME] [--detach-key KEY]}: starts the daemon if needed, then
     * attaches or reports the background job; detachKey: the --detach-key given
     * (^X or none), null for the detach.key setting.
     */
    public static int run(List<String> command, boolean detached, String name, String detachKey) {
        return run(command, detached, name, detachKey, null, List.of(), null);
    }

    /**
     * As above; a queue, jobs to wait for (words) or a start time (an ISO instant) make the job
     * wait: with -d its id and state are printed at once, else it attaches when it starts.
     */
    public static int run(List<String> command, boolean detached, String name, String detachKey, String queue,
                          List<String> after, String startAt) {
        return AttachingClient.run(command, detached, name, detachKey, queue, after, startAt);
    }

    /** {@code jobs queue}: see {@link QueueClient}. */
    public static int queue(String name, Integer parallel, boolean pause, boolean resume) {
        return QueueClient.queue(name, parallel, pause, resume);
    }

    /** {@code jobs rerun [-d] ID}: the ended job again, as a new job; answers as run does. */
    public static int rerun(String job, boolean detached) {
        return AttachingClient.rerun(job, detached, null);
    }

    /** {@code jobs start ID}. */
    public static int start(String job) {
        return QueueClient.start(job);
    }

    /**
     * {@code jobs continue}: a null id and job mean the daemon's most recently stopped or
     * backgrounded job; {@code job} (a name or jobspec, resolved by the daemon) wins over id.
     */
    public static int continueJob(Integer id, String job, boolean detached, boolean fetchOutput, boolean steal,
                                  String detachKey) {
        return AttachingClient.continueJob(id, job, detached, fetchOutput, steal, detachKey);
    }

    /** Throws the usage error for a --detach-key that names no key. */
    public static void checkDetachKey(String word) {
        DetachKey.parse(word, "--detach-key");
    }

    /** {@code jobs kill}; a null timeout means none. */
    public static int kill(List<String> jobs, boolean all, int signal, Long timeoutMillis) {
        return JobControlClient.kill(jobs, all, signal, timeoutMillis);
    }

    /** {@code jobs wait}; a null timeout means none. */
    public static int await(List<String> jobs, boolean any, Long timeoutMillis) {
        return JobControlClient.await(jobs, any, timeoutMillis);
    }

    /** {@code jobs clean}. */
    public static int clean(List<String> jobs) {
        return JobControlClient.clean(jobs);
    }

    /**
     * For the AOT training, whose standard streams are no terminal: the paths a command takes in
     * one, so that their classes come from the cache rather than from the jar (opening the jar
     * alone costs a command several milliseconds).
     */
    public static void trainTerminalPaths() {
        EarlyLinks.forSession();
        TerminalGuard.restore();
    }

    /**
     * {@code jobs list [--json]}. In a terminal, the terminal goes with the request and the
     * daemon, linked long since, measures its width: a command that links a downcall pays some
     * 20 ms for it.
     */
    public static int list(boolean json) {
        boolean terminal = !json && Descriptors.surelyTerminal(1);
        AFUNIXSocket daemon = AttachableSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) return show(List.of(), null, json, 0);
        try (AFUNIXSocket s = daemon) {
            if (terminal) s.setOutboundFileDescriptors(FileDescriptor.out);
            send(s.getOutputStream(), new Request.ListJobs());
            Event e = Replies.first(s.getInputStream());
            if (e instanceof Event.JobList list) return show(list.jobs(), list.notBack(), json, list.columns());
            throw unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /**
     * The hidden {@code __complete ids}: candidates for a job argument, for the shells'
     * completion. Silent and successful when there is no daemon or it cannot be reached: a
     * completion must never print an error into the user's command line.
     */
    public static int completeIds() {
        SocketChannel daemon;
        try {
            daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        } catch (JobsException e) {
            return 0;
        }
        if (daemon == null) return 0;
        try (SocketChannel ch = daemon) {
            send(Channels.newOutputStream(ch), new Request.ListJobs());
            Event e = Replies.read(Channels.newInputStream(ch));
            if (e instanceof Event.JobList list) {
                System.out.write(CompletionCandidates.bytes(list.jobs()));
                System.out.flush();
            }
        } catch (IOException | JobsException e) {
            // nothing to offer
        }
        return 0;
    }

    /** The hidden {@code __complete queues}: one queue name a line; silent as completeIds is. */
    public static int completeQueues() {
        return QueueClient.completeQueues();
    }

    /** {@code width}: the terminal's columns; 0 when stdout is no terminal (no limit). */
    private static int show(List<JobInfo> jobs, List<Integer> notBack, boolean json, int width) {
        boolean missing = notBack != null && !notBack.isEmpty();
        // "No jobs found" would be false while surviving jobs are still on their way back
        String text = json ? ListView.json(jobs)
                : jobs.isEmpty() && missing ? ""
                : ListView.table(jobs, colour(), width, java.time.Instant.now());
        // UTF-8 whatever the locale says: under LANG=C Java would print the box as '?'
        System.out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        if (missing) System.err.println(ListView.notBackLine(notBack));
        return 0;
    }

    /** {@code jobs log}: a job's output history; following, its live output until it ends. */
    public static int log(String job, int lines, boolean follow) {
        return LogClient.log(job, lines, follow);
    }

    /** {@code jobs kill-server}: returns once the daemon says every job is gone. */
    public static int killServer() {
        try (SocketChannel ch = DaemonSocket.plain(RuntimePaths.fromEnvironment())) {
            send(Channels.newOutputStream(ch), new Request.KillServer());
            InputStream in = Channels.newInputStream(ch);
            Event e;
            try {
                if (!(Frames.read(in) instanceof Event first)) return 0;
                e = first;
            } catch (VersionMismatch older) {
                return killServerOf(older);
            } catch (IOException closed) {
                return 0; // a daemon that closes the connection on its way out has done its job
            }
            if (e instanceof Event.Done) return 0;
            throw unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /** A daemon of another version refused our frame: ask again in its own version. */
    private static int killServerOf(VersionMismatch daemon) {
        try (SocketChannel ch = DaemonSocket.plain(RuntimePaths.fromEnvironment())) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(daemon.killServerFrame());
            out.flush();
            // its answer is in its own version too: that it answered, or closed, is all we need
            Channels.newInputStream(ch).read();
            return 0;
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /** Hands the jobs of the older daemon a command met to a daemon of this build: see {@link Restart}. */
    public static void upgradeDaemon(OlderDaemon seen) {
        Restart.upgrade(seen);
    }

    /**
     * The hidden {@code __new-build}: the launcher has just put a new build in place, so a daemon
     * that runs is from an earlier one; it hands its jobs to a daemon of this build. Silent when
     * no daemon runs.
     */
    public static int newBuild() {
        return Restart.afterBuild();
    }

    /** {@code jobs restart-server}: see {@link Restart}. */
    public static int restartServer() {
        return Restart.run();
    }

    static JobsException unexpected(Event e) {
        if (e instanceof Event.Error err) return Replies.error(err);
        return new JobsException(1, "unexpected reply from the daemon: " + e.getClass().getSimpleName());
    }

    static void send(OutputStream out, Request r) throws IOException {
        Frames.write(out, r);
    }

    private static boolean colour() {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && Descriptors.surelyTerminal(1);
    }
}
