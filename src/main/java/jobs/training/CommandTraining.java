package jobs.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import jobs.cli.Main;
import jobs.client.Client;
import jobs.client.ListView;
import jobs.config.RuntimePaths;
import jobs.posix.Terminal;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Message;
import jobs.protocol.SampleMessages;

/**
 * What the client's AOT caches are trained on, in a JVM that writes one of them as it exits: the
 * paths every command takes (parsing, dispatch, frames, JSON, the list table, and list, an
 * attached run and a refused continue against stand-in daemons), so that the classes they load
 * come from the cache at the next start instead of being loaded and linked again.
 */
final class CommandTraining {
    private CommandTraining() {}

    /**
     * {@code quick}: only what list, kill-server, help and version need, for their own cache. 0
     * only when every path ran: no cache is kept from a run that went astray.
     */
    static int run(boolean quick) throws IOException {
        for (List<String> args : List.of(List.of("run", "-d", "sleep", "1"), List.of("fg", "-o", "2"),
                List.of("list", "--json"), List.of("kill-server"), List.of("run", "echo hi | cat"),
                List.of("daemon", "--log-file", "x"), List.of("__runner", "1"))) {
            Main.parse(args);
        }
        // every class Main's dispatch touches, so that no command opens the jar for one of them
        Main.execute(List.of("--version"));
        Main.execute(List.of("help", "list"));
        for (Message m : SampleMessages.ALL) Frames.read(new ByteArrayInputStream(Frames.encode(m)));
        JobInfo info = new JobInfo(1, 42, List.of("top"), JobInfo.JobStateName.RUNNING, true, null, null,
                Instant.now().minusSeconds(75).toString());
        ListView.table(List.of(info), false, 0, Instant.now());
        ListView.table(List.of(info), true, 80, Instant.now());
        ListView.json(List.of(info));
        int list = listAgainstAStandIn(info);
        // the quick commands link no downcall (list's width is the daemon's to measure): their
        // cache stays without the FFM linker's classes, which a JVM would load at every start
        if (quick) return list;
        // a session in a terminal: the training's own standard streams are none
        Terminal.size(1);
        Client.trainTerminalPaths();
        return AttachTraining.run() == 0 ? list : 1;
    }

    /**
     * {@code jobs list} end to end against a stand-in daemon in this process, on a socket in the
     * scratch runtime directory the training run is given.
     */
    private static int listAgainstAStandIn(JobInfo info) throws IOException {
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
            Main.execute(List.of("list"));
            standIn.join(5000);
            return 0;
        } catch (InterruptedException e) {
            return 1;
        } finally {
            Files.deleteIfExists(paths.socket());
        }
    }
}
