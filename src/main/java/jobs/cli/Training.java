package jobs.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import jobs.client.Client;
import jobs.client.JobsException;
import jobs.client.TerminalGuard;
import jobs.client.ListView;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

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
        JobInfo info = new JobInfo(1, 42, List.of("top"), JobInfo.JobStateName.RUNNING, true, null, null, "now");
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
        int list = listAgainstAStandIn(info);
        if (quick) return list;
        return runAgainstAStandIn() == 0 ? list : 1;
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

    /**
     * {@code jobs run true}, attached, against a stand-in that passes a data socket with Running
     * as the daemon does: junixsocket, descriptor passing, the terminal's ioctl downcall (on a
     * descriptor that is no terminal here) and the attachment's threads are all on this path.
     */
    private static int runAgainstAStandIn() {
        try {
            RuntimePaths paths = RuntimePaths.fromEnvironment().ensurePrivate();
            try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(paths.socket()))) {
                Thread standIn = Thread.ofPlatform().start(() -> {
                    attachOnce(server);
                    refuseOnce(server);
                });
                int code = Client.run(List.of("true"), false);
                try {
                    Client.continueJob(7, false, false);
                    code = 1;
                } catch (JobsException refused) {
                    TerminalGuard.restore(); // what Main does before it prints the error
                }
                standIn.join(5000);
                return code;
            } finally {
                Files.deleteIfExists(paths.socket());
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        } catch (InterruptedException e) {
            return 1;
        }
    }

    private static void attachOnce(AFUNIXServerSocket server) {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = null;
        try (AFUNIXSocket control = server.accept()) {
            Frames.read(control.getInputStream());
            pair = AFUNIXSocketPair.open();
            control.setOutboundFileDescriptors(pair.getSocket2().getFileDescriptor());
            Frames.write(control.getOutputStream(), new Event.Running(1, 42, List.of("true"), 0));
            pair.getSocket1().write(ByteBuffer.wrap(new byte[] {'h', 'i', '\r', '\n'}));
            pair.getSocket1().shutdownOutput();
            Frames.write(control.getOutputStream(), new Event.Finished(1, List.of("true"), 0, null));
            Frames.read(control.getInputStream()); // until the client hangs up
        } catch (IOException ignored) {
            // the training run only loses some of its coverage
        } finally {
            if (pair != null) {
                closeQuietly(pair.getSocket1());
                closeQuietly(pair.getSocket2());
            }
        }
    }

    private static void refuseOnce(AFUNIXServerSocket server) {
        try (AFUNIXSocket control = server.accept()) {
            Frames.read(control.getInputStream());
            Frames.write(control.getOutputStream(), new Event.Error(Event.ErrorKind.NOT_FOUND, "job 7 not found"));
        } catch (IOException ignored) {
            // the training run only loses some of its coverage
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
