package jobs.client;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The job's output, from one data socket to the user's stdout, on a platform thread of its own
 * until the socket's EOF. A reattach starts one for the new daemon's data socket; the old one's
 * end then no longer counts as the session's output drained (see SessionState.outputEnded).
 */
final class JobToTerminal {
    private final SessionState state;
    private final FileInputStream from;
    private final FileOutputStream stdout;

    private JobToTerminal(SessionState state, FileInputStream from, FileOutputStream stdout) {
        this.state = state;
        this.from = from;
        this.stdout = stdout;
    }

    static void start(SessionState state, int jobId, FileInputStream from, FileOutputStream stdout) {
        Attachment.start("job-" + jobId + " output", new JobToTerminal(state, from, stdout)::run);
    }

    /**
     * Channels and a direct buffer: the bytes go from the socket to the terminal without being
     * copied through the Java heap (FileInputStream mallocs and copies for any read over 8 KiB).
     * Once stdout is broken the output is still read to its end, which the session's end awaits.
     */
    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        FileChannel in = from.getChannel();
        FileChannel out = stdout.getChannel();
        try {
            int n;
            while ((n = in.read(buf.clear())) > 0) {
                if (!state.outputArrived()) continue;
                try {
                    buf.flip();
                    while (buf.hasRemaining()) out.write(buf);
                    state.outputShown(buf.get(n - 1));
                } catch (IOException e) {
                    Attachment.closeQuietly(state.stdoutBroke());
                }
            }
        } catch (IOException e) {
            // ECONNRESET: the daemon is gone; the control connection says what happened
        } finally {
            state.outputEnded(from);
        }
    }
}
