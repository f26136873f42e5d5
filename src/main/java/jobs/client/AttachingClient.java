package jobs.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.posix.WinSize;
import jobs.protocol.Event;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;

/** Run and continue: the commands that attach to a job, over a junixsocket connection. */
final class AttachingClient {
    private AttachingClient() {}

    /** {@code jobs run}: starts the daemon if needed, then attaches or reports the background job. */
    static int run(List<String> command, boolean detached, String name, String detachKeyOption, String queue,
                   List<String> after, String startAt) {
        Map<String, String> env = System.getenv();
        return start(size -> new Request.Run(command, env, System.getProperty("user.dir"), size.rows(), size.cols(),
                detached, name, queue, after == null || after.isEmpty() ? null : after, startAt), detached, detachKeyOption);
    }

    /** {@code jobs rerun}: as run, with what the daemon kept of the ended job. */
    static int rerun(String job, boolean detached, String detachKeyOption) {
        return start(size -> new Request.Rerun(job, detached, size.rows(), size.cols()), detached, detachKeyOption);
    }

    private static int start(java.util.function.Function<WinSize, Request> request, boolean detached,
                             String detachKeyOption) {
        Map<String, String> env = System.getenv();
        RuntimePaths paths = RuntimePaths.fromEnvironment(env);
        int detachKey = detached ? DetachKey.NONE : DetachKey.resolve(detachKeyOption, env);
        SizeWatch sizes = SizeWatch.start();
        if (!detached && sizes.terminal() != null) EarlyLinks.forSession();
        WinSize size = sizes.requested();
        try (AFUNIXSocket socket = AttachableSocket.startingDaemon(paths, env)) {
            withTerminal(socket, sizes);
            Client.send(socket.getOutputStream(), request.apply(size));
            Event first = Replies.first(socket.getInputStream());
            if (first instanceof Event.Background b) {
                // like a shell's "&": scripts can capture the id from stdout
                System.out.println("[" + b.id() + "] " + b.pid());
                return 0;
            }
            if (first instanceof Event.Waiting w && detached) {
                System.out.println("[" + w.id() + "] " + w.state());
                return 0;
            }
            if (first instanceof Event.Waiting w) {
                first = WaitingLine.untilStarted(w, socket.getInputStream());
                if (first == null) return rejoin(w.id(), detachKeyOption);
            }
            return answer(socket, first, sizes, detachKey, new Reattach(paths, env, socket));
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /**
     * A job this terminal waited for outlived its daemon (it is saved with the waiting jobs):
     * wait for it again from the next daemon, starting one if none came, as a continue would.
     */
    private static int rejoin(int id, String detachKeyOption) {
        return start(size -> new Request.Continue(id, false, true, size.rows(), size.cols()), false, detachKeyOption);
    }

    /** {@code jobs continue}: a null id means the daemon's most recently stopped or backgrounded job. */
    static int continueJob(Integer id, String job, boolean detached, boolean fetchOutput, boolean steal,
                           String detachKeyOption) {
        RuntimePaths paths = RuntimePaths.fromEnvironment();
        int detachKey = detached ? DetachKey.NONE : DetachKey.resolve(detachKeyOption, System.getenv());
        SizeWatch sizes = SizeWatch.start();
        if (!detached && sizes.terminal() != null) EarlyLinks.forSession();
        WinSize size = sizes.requested();
        try (AFUNIXSocket socket = AttachableSocket.connectAfterCrash(paths)) {
            withTerminal(socket, sizes);
            Client.send(socket.getOutputStream(), new Request.Continue(id, detached, fetchOutput, size.rows(), size.cols(),
                    job, steal));
            Event first = Replies.first(socket.getInputStream());
            if (first instanceof Event.Background b) {
                System.err.println("[" + b.id() + "] Running  " + String.join(" ", b.command()) + " &");
                return 0;
            }
            if (first instanceof Event.Waiting w && detached) {
                System.err.println("[" + w.id() + "] " + w.state() + "  " + String.join(" ", w.command()));
                return 0;
            }
            if (first instanceof Event.Waiting w) {
                first = WaitingLine.untilStarted(w, socket.getInputStream());
                if (first == null) return rejoin(w.id(), detachKeyOption);
            }
            return answer(socket, first, sizes, detachKey, new Reattach(paths, System.getenv(), socket));
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /**
     * The first event of run/continue other than Background. Not a pattern switch: its first run
     * makes a class with the class-file API, which the AOT cache cannot hold.
     */
    private static int answer(AFUNIXSocket socket, Event first, SizeWatch sizes, int detachKey, Reattach reattach)
            throws IOException {
        if (first instanceof Event.Running r) {
            return new Attachment(socket, dataSocket(socket), sizes, detachKey, reattach).run(r);
        }
        if (first instanceof Event.Finished f) return Replies.finished(f);
        if (first instanceof Event.Stopped s) {
            System.err.println(Replies.stoppedLine(s));
            return 0;
        }
        throw Client.unexpected(first);
    }

    /** The request's frame takes the user's terminal along, for the daemon to measure (see SizeWatch). */
    private static void withTerminal(AFUNIXSocket socket, SizeWatch sizes) throws IOException {
        FileDescriptor terminal = sizes.terminal();
        if (terminal != null) socket.setOutboundFileDescriptors(terminal);
    }

    private static FileDescriptor dataSocket(AFUNIXSocket socket) throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        if (fds == null || fds.length == 0 || !fds[0].valid()) {
            throw new JobsException(1, "the daemon sent no data socket with the job");
        }
        return fds[0];
    }
}
