package jobs.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import jobs.client.Client;
import jobs.client.JobsException;
import jobs.client.TerminalGuard;
import jobs.config.RuntimePaths;
import jobs.posix.Terminal;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The part of the training for run and continue's cache, in a class of its own: naming
 * junixsocket in {@link CommandTraining} would put it in the quick commands' cache as well.
 */
final class AttachTraining {
    private AttachTraining() {}

    /**
     * {@code jobs run true}, attached, against a stand-in that passes a data socket with Running
     * as the daemon does: junixsocket, descriptor passing, the terminal's ioctl downcall (on a
     * descriptor that is no terminal here) and the attachment's threads are all on this path.
     */
    static int run() {
        // the training's descriptors are no terminal, so the client would not link the ioctl
        // downcall here; on a terminal it does, and its classes belong in the cache
        Terminal.isatty(0);
        Terminal.size(0);
        try {
            RuntimePaths paths = RuntimePaths.fromEnvironment().ensurePrivate();
            try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(paths.socket()))) {
                Thread standIn = Thread.ofPlatform().start(() -> {
                    attachOnce(server);
                    refuseOnce(server);
                });
                int code = Client.run(List.of("true"), false, null, null);
                try {
                    Client.continueJob(7, null, false, false, false, null);
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
