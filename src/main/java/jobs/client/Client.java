package jobs.client;

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

/**
 * What the CLI process does as a client of the daemon. Each method returns the process's exit
 * code or throws {@link JobsException}; printing of errors is left to cli.Main. Run and continue
 * live in {@link AttachingClient}: only they need junixsocket, and a class that names it makes
 * the AOT cache of the quick commands load it too.
 */
public final class Client {
    private Client() {}

    /** {@code jobs run}: starts the daemon if needed, then attaches or reports the background job. */
    public static int run(List<String> command, boolean detached) {
        return AttachingClient.run(command, detached);
    }

    /** {@code jobs continue}: a null id means the daemon's most recently stopped or backgrounded job. */
    public static int continueJob(Integer id, boolean detached, boolean fetchOutput) {
        return AttachingClient.continueJob(id, detached, fetchOutput);
    }

    /** {@code jobs list [--json]}. */
    public static int list(boolean json) {
        SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) return show(List.of(), json);
        try (SocketChannel ch = daemon) {
            send(Channels.newOutputStream(ch), new Request.ListJobs());
            Event e = Replies.read(Channels.newInputStream(ch));
            if (e instanceof Event.JobList list) return show(list.jobs(), json);
            throw unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    private static int show(List<JobInfo> jobs, boolean json) {
        String text = json ? ListView.json(jobs) : ListView.table(jobs, colour());
        // UTF-8 whatever the locale says: under LANG=C Java would print the box as '?'
        System.out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        return 0;
    }

    /** {@code jobs kill-server}: returns once the daemon says every job is gone. */
    public static int killServer() {
        try (SocketChannel ch = DaemonSocket.plain(RuntimePaths.fromEnvironment())) {
            send(Channels.newOutputStream(ch), new Request.KillServer());
            InputStream in = Channels.newInputStream(ch);
            Event e;
            try {
                e = Replies.read(in);
            } catch (JobsException closed) {
                return 0; // a daemon that closes the connection on its way out has done its job
            }
            if (e instanceof Event.Done) return 0;
            throw unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
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
