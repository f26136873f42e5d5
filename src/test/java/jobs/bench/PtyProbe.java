package jobs.bench;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import com.pty4j.unix.UnixPtyProcess;
import jobs.posix.Fd;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A command in a fresh pty, as a user's terminal would run it. One platform thread reads
 * everything with large reads, counts bytes, and timestamps each echoed key byte.
 */
final class PtyProbe implements AutoCloseable {
    static final byte KEY = 'x';

    private final PtyProcess process;
    private final long startNanos = System.nanoTime();
    private final CountDownLatch eof = new CountDownLatch(1);
    private final BlockingQueue<Long> echoes = new LinkedBlockingQueue<>();
    private volatile long firstByteNanos;
    private volatile long endNanos;
    private volatile long bytes;
    private final StringBuilder head = new StringBuilder();

    private final Fd master;

    /**
     * Reads its own duplicate of the master: pty4j closes the master when the child exits,
     * which would lose whatever the pty still held.
     */
    private PtyProbe(PtyProcess process) throws IOException {
        this.process = process;
        this.master = Fd.duplicate(((UnixPtyProcess) process).getPty().getMasterFD());
        Thread.ofPlatform().daemon().name("pty-reader").start(this::read);
    }

    static PtyProbe start(List<String> command, Map<String, String> env) throws IOException {
        return new PtyProbe(new PtyProcessBuilder(command.toArray(String[]::new))
                .setEnvironment(env).setInitialColumns(200).setInitialRows(50).setConsole(false).start());
    }

    private void read() {
        byte[] buf = new byte[1 << 16];
        try (Fd in = master) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                long now = System.nanoTime();
                if (bytes == 0) firstByteNanos = now;
                if (head.length() < 1 << 16) {
                    synchronized (head) {
                        head.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                        head.notifyAll();
                    }
                }
                bytes += n;
                for (int i = 0; i < n; i++) if (buf[i] == KEY) echoes.add(now);
            }
        } catch (IOException e) {
            // EIO: the last process on the pty is gone
        }
        endNanos = System.nanoTime();
        eof.countDown();
    }

    /** Waits until the first 64 KiB of output contain the text; false on timeout. */
    boolean awaitText(String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (head) {
            while (head.indexOf(text) < 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) return false;
                head.wait(left);
            }
        }
        return true;
    }

    /** Waits for EOF and exit; returns false on timeout. */
    boolean awaitEnd(long seconds) throws InterruptedException {
        return eof.await(seconds, TimeUnit.SECONDS) && process.waitFor(seconds, TimeUnit.SECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    double wallSeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double streamSeconds() {
        return (endNanos - firstByteNanos) / 1e9;
    }

    long bytes() {
        return bytes;
    }

    void write(byte[] b) throws IOException {
        OutputStream out = process.getOutputStream();
        out.write(b);
        out.flush();
    }

    /** Types one key and returns the nanoseconds until it came back, or -1 after the timeout. */
    long echo(long timeoutMillis) throws IOException, InterruptedException {
        echoes.clear();
        long t0 = System.nanoTime();
        write(new byte[] {KEY});
        Long at = echoes.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        return at == null ? -1 : at - t0;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
