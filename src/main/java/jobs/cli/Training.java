package jobs.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import jobs.client.Client;
import jobs.client.ListView;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;

/**
 * The launcher's training run for the JDK's AOT cache: it walks the paths every command takes
 * (parsing, dispatch, frames, JSON, the list table, and list, an attached run and a refused
 * continue against stand-in daemons),
 * so the classes they load come from the cache at the next start instead of being loaded and
 * linked again. Its exit code is 0 only when every path ran: the launcher keeps no cache from a
 * run that went astray.
 */
final class Training {
    private Training() {}

    /** {@code quick}: only what list, kill-server, help and version need, for their own cache. */
    static int run(boolean quick) {
        Map<String, String> env = System.getenv();
        for (List<String> args : List.of(List.of("run", "-d", "sleep", "1"), List.of("fg", "-o", "2"),
                List.of("list", "--json"), List.of("kill-server"), List.of("run", "echo hi | cat"),
                List.of("daemon", "--log-file", "x"), List.of("__runner", "1"))) {
            CommandLine.parse(args, env);
        }
        // every class Main's dispatch touches, so that no command opens the jar for one of them
        Main.execute(CommandLine.parse(List.of("--version"), env));
        Main.execute(CommandLine.parse(List.of("help", "list"), env));
        JobInfo info = new JobInfo(1, 42, List.of("top"), JobInfo.JobStateName.RUNNING, true, null, null,
                java.time.Instant.now().minusSeconds(75).toString());
        List<Object> messages = List.of(
                new Request.Run(List.of("true"), env, "/", 24, 80, false),
                new Request.Continue(null, false, false, 24, 80), new Request.ListJobs(), new Request.Resize(1, 1),
                new Event.JobList(List.of(info)), new Event.Running(1, 1, List.of("x"), 0),
                new Event.Finished(1, List.of("x"), 0, null), new Event.Stopped(1, List.of("x")),
                new Event.Error(Event.ErrorKind.NOT_FOUND, "x"), new Event.Done());
        try {
            for (Object m : messages) {
                Frames.read(new ByteArrayInputStream(Frames.encode((jobs.protocol.Message) m)));
            }
        } catch (IOException e) {
            return 1;
        }
        ListView.table(List.of(info), false);
        ListView.table(List.of(info), true);
        ListView.json(List.of(info));
        // list asks the terminal on stdout for its width: one ioctl downcall, whose linking is
        // most of what a list in a terminal loads (the training's stdout is not a terminal, and
        // the answer does not matter here)
        jobs.posix.Terminal.size(1);
        int list = listAgainstAStandIn(info);
        if (quick) return list;
        return AttachTraining.run() == 0 ? list : 1;
    }

    /**
     * {@code jobs list} end to end against a stand-in daemon in this process, on a socket in the
     * scratch runtime directory the launcher gives the training run.
     */
    private static int listAgainstAStandIn(JobInfo info) {
        try {
            RuntimePaths paths = RuntimePaths.fromEnvironment().ensurePrivate();
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(paths.socket()));
                Thread standIn = Thread.ofPlatform().start(() -> {
                    try (SocketChannel c = server.accept()) {
                        Frames.read(Channels.newInputStream(c));
                        Frames.write(Channels.newOutputStream(c), new Event.JobList(List.of(info)));
                    } catch (IOException ignored) {
                        // the training run only loses some of its coverage
                    }
                });
                Client.list(false);
                standIn.join(5000);
            } finally {
                Files.deleteIfExists(paths.socket());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 1;
        } catch (InterruptedException e) {
            return 1;
        }
    }
}
