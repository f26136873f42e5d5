package jobs.client;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.QueueInfo;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;

/** {@code jobs queue} and {@code jobs start}, over a plain JDK channel like list. */
final class QueueClient {
    private QueueClient() {}

    static int queue(String name, Integer parallel, boolean pause, boolean resume) {
        Request.Queue request = new Request.Queue(name, parallel, pause, resume);
        if (parallel != null || pause || resume) return show(changing(request));
        SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) {
            if (name == null) {
                System.out.println("No queues");
                return 0;
            }
            throw DaemonSocket.noDaemon();
        }
        return show(ask(daemon, request));
    }

    /** A queue's settings live in the daemon: changing one starts it, as a run does. */
    private static Event changing(Request.Queue request) {
        Map<String, String> env = System.getenv();
        try (AFUNIXSocket socket = AttachableSocket.startingDaemon(RuntimePaths.fromEnvironment(env), env)) {
            Client.send(socket.getOutputStream(), request);
            return Replies.first(socket.getInputStream());
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    private static int show(Event e) {
        if (!(e instanceof Event.Queues q)) throw Client.unexpected(e);
        System.out.print(table(q.queues() == null ? List.of() : q.queues()));
        return 0;
    }

    static int completeQueues() {
        try {
            SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
            if (daemon == null) return 0;
            if (ask(daemon, new Request.Queue(null, null, false, false)) instanceof Event.Queues q && q.queues() != null) {
                for (QueueInfo i : q.queues()) System.out.println(i.name());
            }
        } catch (JobsException e) {
            // nothing to offer
        }
        return 0;
    }

    static int start(String job) {
        SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) throw DaemonSocket.noDaemon();
        Event e = ask(daemon, new Request.Start(job));
        if (!(e instanceof Event.Background b)) throw Client.unexpected(e);
        System.out.println("[" + b.id() + "] " + b.pid());
        return 0;
    }

    private static Event ask(SocketChannel daemon, Request r) {
        try (SocketChannel ch = daemon) {
            Client.send(Channels.newOutputStream(ch), r);
            return Replies.first(Channels.newInputStream(ch));
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /** Plain aligned columns: a queue list is short and read by people and by awk alike. */
    static String table(List<QueueInfo> queues) {
        if (queues.isEmpty()) return "No queues\n";
        int width = Math.max(5, queues.stream().mapToInt(q -> q.name().length()).max().orElse(0));
        StringBuilder sb = new StringBuilder(String.format("%-" + width + "s  %8s  %7s  %7s  %s%n", "Queue", "Parallel",
                "Running", "Waiting", "State"));
        for (QueueInfo q : queues) {
            sb.append(String.format("%-" + width + "s  %8d  %7d  %7d  %s%n", q.name(), q.parallel(), q.running(),
                    q.waiting(), q.paused() ? "paused" : "active"));
        }
        return sb.toString();
    }
}
