package jobs.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * What the CLI process does as a client of the daemon. Each method returns the process's exit
 * code or throws {@link JobsException}; printing of errors is left to cli.Main.
 */
public final class Client {
    private Client() {}

    /** {@code jobs run}: starts the daemon if needed, then attaches or reports the background job. */
    public static int run(List<String> command, boolean detached) {
        Map<String, String> env = System.getenv();
        RuntimePaths paths = RuntimePaths.fromEnvironment(env);
        WinSize size = Sizes.current();
        try (AFUNIXSocket socket = DaemonSocket.attachableStartingDaemon(paths, env)) {
            send(socket.getOutputStream(), new Request.Run(command, env, System.getProperty("user.dir"),
                    size.rows(), size.cols(), detached));
            Event first = Replies.read(socket.getInputStream());
            if (first instanceof Event.Background b) {
                // like a shell's "&": scripts can capture the id from stdout
                System.out.println("[" + b.id() + "] " + b.pid());
                return 0;
            }
            return answer(socket, first);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /** {@code jobs continue}: a null id means the daemon's most recently stopped or backgrounded job. */
    public static int continueJob(Integer id, boolean detached, boolean fetchOutput) {
        RuntimePaths paths = RuntimePaths.fromEnvironment();
        WinSize size = Sizes.current();
        try (AFUNIXSocket socket = DaemonSocket.attachable(paths)) {
            send(socket.getOutputStream(), new Request.Continue(id, detached, fetchOutput, size.rows(), size.cols()));
            Event first = Replies.read(socket.getInputStream());
            if (first instanceof Event.Background b) {
                System.err.println("[" + b.id() + "] Running  " + String.join(" ", b.command()) + " &");
                return 0;
            }
            return answer(socket, first);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /** {@code jobs list [--json]}. */
    public static int list(boolean json) {
        try (SocketChannel ch = DaemonSocket.plain(RuntimePaths.fromEnvironment())) {
            send(Channels.newOutputStream(ch), new Request.ListJobs());
            Event e = Replies.read(Channels.newInputStream(ch));
            if (e instanceof Event.JobList list) {
                String text = json ? ListView.json(list.jobs()) : ListView.table(list.jobs(), colour());
                // UTF-8 whatever the locale says: under LANG=C Java would print the box as '?'
                System.out.write(text.getBytes(StandardCharsets.UTF_8));
                System.out.flush();
                return 0;
            }
            throw unexpected(e);
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
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

    /**
     * The first event of run/continue other than Background. Not a pattern switch: its first run
     * makes a class with the class-file API, which the AOT cache cannot hold.
     */
    private static int answer(AFUNIXSocket socket, Event first) throws IOException {
        if (first instanceof Event.Running r) return new Attachment(socket, dataSocket(socket)).run(r);
        if (first instanceof Event.Finished f) return Replies.finished(f);
        if (first instanceof Event.Stopped s) {
            System.err.println(Replies.stoppedLine(s));
            return 0;
        }
        throw unexpected(first);
    }

    private static FileDescriptor dataSocket(AFUNIXSocket socket) throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        if (fds == null || fds.length == 0 || !fds[0].valid()) {
            throw new JobsException(1, "the daemon sent no data socket with the job");
        }
        return fds[0];
    }

    private static JobsException unexpected(Event e) {
        if (e instanceof Event.Error err) return Replies.error(err);
        return new JobsException(1, "unexpected reply from the daemon: " + e.getClass().getSimpleName());
    }

    private static void send(OutputStream out, Request r) throws IOException {
        Frames.write(out, r);
    }

    private static boolean colour() {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && stdoutIsTerminal();
    }

    /**
     * isatty(1) read from /proc instead of through FFM: linking the first downcall costs about
     * 90 ms, a third of what {@code jobs list} costs otherwise.
     */
    private static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                    || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
