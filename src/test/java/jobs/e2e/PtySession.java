package jobs.e2e;

import static org.awaitility.Awaitility.await;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command in a fresh 80x24 pty, as if typed in a terminal: this pty is the command's
 * controlling terminal, so bytes written here go through a real line discipline (0x1a is Ctrl-Z,
 * 0x03 is Ctrl-C). Everything the command prints is kept in a transcript by a platform thread
 * (pty4j reads pin virtual threads' carriers, see PLATFORM.md). {@link #close()} kills the
 * command if it is still there.
 */
final class PtySession implements AutoCloseable {
    /** A loaded 2-core machine may take seconds to start a JVM or two. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private final PtyProcess pty;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final Thread reader;

    private PtySession(PtyProcess pty) {
        this.pty = pty;
        reader = Thread.ofPlatform().daemon().name("e2e pty reader " + pty.pid()).start(this::drain);
    }

    static PtySession start(Path dir, Map<String, String> env, List<String> command) throws IOException {
        return start(dir, env, command, 24, 80);
    }

    static PtySession start(Path dir, Map<String, String> env, List<String> command, int rows, int cols)
            throws IOException {
        PtyProcess pty = new PtyProcessBuilder(command.toArray(String[]::new))
                .setDirectory(dir.toString())
                .setEnvironment(env)
                .setInitialColumns(cols)
                .setInitialRows(rows)
                .setConsole(false)
                // keeps the last output readable after the command exits
                .setUnixOpenTtyToPreserveOutputAfterTermination(true)
                .start();
        return new PtySession(pty);
    }

    // drained all the time: a full pty buffer would block the command
    private void drain() {
        byte[] buf = new byte[4096];
        try (InputStream in = pty.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (transcript) {
                    transcript.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the pty is gone: the transcript is complete
        }
    }

    /** What the command printed so far, without colours, cursor moves or carriage returns. */
    String text() {
        String raw;
        synchronized (transcript) {
            raw = transcript.toString(StandardCharsets.UTF_8);
        }
        return raw.replaceAll("\u001B\\[[0-?]*[ -/]*[@-~]", "")
                .replaceAll("\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)", "")
                .replace("\r", "");
    }

    void awaitText(String expected) {
        try {
            await("output containing \"" + expected + "\"").atMost(WAIT)
                    .until(() -> text().contains(expected));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what the terminal showed is what tells a stuck client from a lost byte
            String t = text();
            throw new AssertionError("no \"" + expected + "\" within " + WAIT.toSeconds() + " s; the terminal shows:\n"
                    + t.substring(Math.max(0, t.length() - 2000)), e);
        }
    }

    void write(int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        pty.getOutputStream().write(b);
        pty.getOutputStream().flush();
    }

    /**
     * Waits until the client has put the terminal in raw mode. Before that, a 0x1a or 0x03 would
     * be a signal for the client itself (or dropped, its process group being orphaned) instead of
     * a byte for the job.
     */
    void awaitRawMode() {
        await("raw mode on the client's terminal").atMost(WAIT).until(() -> !isig());
    }

    private boolean isig() throws IOException, InterruptedException {
        if (!pty.isAlive()) throw new IllegalStateException("exited before raw mode:\n" + text());
        // the launcher execs the JVM, so the pty's first process keeps the terminal on fd 0
        Path tty = Files.readSymbolicLink(Path.of("/proc", Long.toString(pty.pid()), "fd", "0"));
        Process stty = new ProcessBuilder("stty", "-F", tty.toString(), "-a")
                .redirectErrorStream(true).start();
        stty.getOutputStream().close();
        String settings = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (stty.waitFor() != 0) throw new IOException("stty: " + settings.strip());
        return !Arrays.asList(settings.split("\\s+")).contains("-isig");
    }

    /** Waits for the command to exit and for its last output, then returns its exit code. */
    int awaitExit() throws InterruptedException {
        await("exit of the command; output so far:\n" + text()).atMost(WAIT).until(() -> !pty.isAlive());
        reader.join(WAIT.toMillis());
        return pty.exitValue();
    }

    long pid() {
        return pty.pid();
    }

    void write(byte[] b) throws IOException {
        pty.getOutputStream().write(b);
        pty.getOutputStream().flush();
    }

    /** As a terminal window resized by its user: the kernel sends SIGWINCH to the foreground group. */
    void resize(int rows, int cols) {
        pty.setWinSize(new com.pty4j.WinSize(cols, rows));
    }

    /** How many times s occurs in {@link #text()}. */
    int count(String s) {
        String t = text();
        int n = 0;
        for (int i = t.indexOf(s); i >= 0; i = t.indexOf(s, i + s.length())) n++;
        return n;
    }

    /** The raw bytes so far, escape sequences and all. */
    byte[] bytes() {
        synchronized (transcript) {
            return transcript.toByteArray();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (pty.isAlive()) {
            pty.destroyForcibly();
            pty.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        reader.join(WAIT.toMillis());
    }
}
