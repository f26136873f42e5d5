package jobs.training;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmCommand;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;
import jobs.protocol.RunnerMessage.ReportKind;

/**
 * The training that makes the runners' AOT cache. It plays the daemon's part for one real runner
 * JVM in a real pty, whose job stops itself, is resumed and exits, so the cache holds what every
 * step of a runner's life loads. The runner writes the cache as it exits.
 *
 * <p>It runs apart from any daemon: a user's daemon kills a runner as soon as its job is done,
 * which would cut the writing of the cache short.
 */
final class RunnerTraining {
    private static final long TIMEOUT_SECONDS = 120;

    private RunnerTraining() {}

    /** 0 when {@code cache} was written; {@code dir}, a private scratch directory, is the job's. */
    static int train(Path cache, Path dir) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Path socket = dir.resolve("sock");
            server.bind(UnixDomainSocketAddress.of(socket));
            // a runner as the daemon starts one, that writes the cache as it exits
            List<String> argv = new ArrayList<>(JvmCommand.runner(List.of("1", "training", socket.toString())));
            argv.add(1, "-XX:AOTCacheOutput=" + cache);
            PtyProcess runner = new PtyProcessBuilder(argv.toArray(String[]::new))
                    .setEnvironment(Map.of("PATH", path()))
                    .setDirectory(dir.toString())
                    .setConsole(false)
                    .start();
            try {
                // nothing should come out, but a full pty would block whatever writes to it
                Thread.ofPlatform().daemon().start(() -> discard(runner.getInputStream()));
                // the launcher waits for this run: a runner that hangs is killed, and one that
                // dies, before or after it connects, ends the accept() or read() waiting for it
                CompletableFuture.delayedExecutor(TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(runner::destroyForcibly);
                runner.onExit().thenRun(() -> closeQuietly(server));
                try (SocketChannel link = server.accept()) {
                    playDaemon(Channels.newInputStream(link), Channels.newOutputStream(link), dir);
                }
                if (!runner.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) return 1;
                return runner.exitValue() == 0 && Files.isRegularFile(cache) ? 0 : 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } finally {
                runner.destroyForcibly();
            }
        }
    }

    /** Hello, Start, then Running, Stopped, Resume, (Running), Exited: what a daemon sees of a job. */
    private static void playDaemon(InputStream in, OutputStream out, Path dir) throws IOException {
        if (!(Frames.read(in) instanceof RunnerMessage.Hello)) throw new IOException("no hello");
        Frames.write(out, new RunnerMessage.Start(List.of("sh", "-c", "kill -STOP $$; exit 0"),
                Map.of("PATH", path()), dir.toString()));
        expect(in, ReportKind.RUNNING);
        expect(in, ReportKind.STOPPED);
        Frames.write(out, new RunnerMessage.Resume());
        // waitpid may or may not see the job continued before it exits
        while (expect(in, null) != ReportKind.EXITED) {
            // RUNNING again
        }
    }

    /** The next report's kind, which must be {@code kind} unless that is null. */
    private static ReportKind expect(InputStream in, ReportKind kind) throws IOException {
        Message m = Frames.read(in);
        if (!(m instanceof RunnerMessage.Report r) || kind != null && r.kind() != kind) {
            throw new IOException("expected " + kind + ": " + m);
        }
        return r.kind();
    }

    private static String path() {
        return System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    }

    private static void discard(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ended) {
            // the pty closed with the runner
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }
}
