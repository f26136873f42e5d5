package jobs.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Request;

/**
 * kill, wait and clean: commands that drive jobs without attaching, over a plain JDK channel
 * like list (no junixsocket to load). None of them starts a daemon: with none running there is
 * no job to act on.
 */
final class JobControlClient {
    private JobControlClient() {}

    static int kill(List<String> jobs, boolean all, int signal, Long timeoutMillis) {
        SocketChannel ch = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (ch == null) {
            if (all) return 0;
            throw DaemonSocket.noDaemon();
        }
        long timeout = timeoutMillis == null ? 0 : Math.max(1, timeoutMillis);
        return results(ch, new Request.Kill(jobs, all, signal, timeout), "kill");
    }

    static int clean(List<String> jobs) {
        SocketChannel ch = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (ch == null) {
            if (jobs.isEmpty()) return 0;
            throw DaemonSocket.noDaemon();
        }
        return results(ch, new Request.Clean(jobs), "clean");
    }

    /** One line per job the daemon could not act on; exit 1 if there was any. */
    private static int results(SocketChannel daemon, Request request, String command) {
        try (SocketChannel ch = daemon) {
            Client.send(Channels.newOutputStream(ch), request);
            Event e = Replies.first(Channels.newInputStream(ch));
            if (!(e instanceof Event.Results r)) throw Client.unexpected(e);
            List<String> failures = r.failures() == null ? List.of() : r.failures();
            for (String f : failures) System.err.println("jobs: " + command + ": " + f);
            return failures.isEmpty() ? 0 : 1;
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    /**
     * Blocks until the daemon reports the end; the timeout closes the channel under the
     * blocked read, which is how a JDK channel's read is given up.
     */
    static int await(List<String> jobs, boolean any, Long timeoutMillis) {
        SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) {
            if (jobs.isEmpty()) return 0;
            throw DaemonSocket.noDaemon();
        }
        boolean[] timedOut = new boolean[1];
        try (SocketChannel ch = daemon) {
            Client.send(Channels.newOutputStream(ch), new Request.Wait(jobs, any));
            if (timeoutMillis != null) giveUpAfter(ch, timeoutMillis, timedOut);
            InputStream in = Channels.newInputStream(ch);
            while (true) {
                Event e;
                try {
                    e = Replies.read(in);
                } catch (JobsException lost) {
                    synchronized (timedOut) {
                        if (timedOut[0]) throw new JobsException(124, "wait: timed out after " + seconds(timeoutMillis));
                    }
                    throw lost;
                }
                if (e instanceof Event.Stopped s) {
                    System.err.println(Replies.stoppedLine(s) + " (still waiting)");
                } else if (e instanceof Event.Finished f) {
                    return Replies.finished(f);
                } else if (e instanceof Event.Done) {
                    return 0;
                } else {
                    throw Client.unexpected(e);
                }
            }
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }

    private static void giveUpAfter(SocketChannel ch, long millis, boolean[] timedOut) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (timedOut) {
                timedOut[0] = true;
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed already: the wait is over anyway
            }
        }, "wait timeout");
        t.setDaemon(true);
        t.start();
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
