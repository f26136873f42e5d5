package jobs.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Request;

/**
 * {@code jobs log}: never attaches, so it needs no terminal and only the JDK's own socket
 * channel. Output goes to stdout byte for byte; the daemon's notices (what was dropped, where)
 * go to stderr, after what came before them, so a terminal shows them in place and a pipe
 * gets the output alone.
 */
final class LogClient {
    private LogClient() {}

    static int log(String job, int lines, boolean follow) {
        SocketChannel daemon = DaemonSocket.ifRunning(RuntimePaths.fromEnvironment());
        if (daemon == null) throw new JobsException(1, "job " + job + " not found (no daemon running)");
        PrintStream out = System.out;
        try (SocketChannel ch = daemon) {
            Client.send(Channels.newOutputStream(ch), new Request.Log(job, lines, follow));
            InputStream in = Channels.newInputStream(ch);
            while (true) {
                Event e = Replies.read(in);
                if (e instanceof Event.Output o) {
                    out.write(o.bytes());
                    if (follow) out.flush();
                } else if (e instanceof Event.Notice n) {
                    out.flush();
                    System.err.println("jobs: " + n.message());
                    System.err.flush();
                } else if (e instanceof Event.Done) {
                    out.flush();
                    return 0;
                } else if (e instanceof Event.Finished f) {
                    out.flush();
                    return Replies.finished(f);
                } else {
                    out.flush();
                    throw Client.unexpected(e);
                }
            }
        } catch (IOException e) {
            throw new JobsException(1, "connection to the daemon failed: " + e.getMessage());
        }
    }
}
