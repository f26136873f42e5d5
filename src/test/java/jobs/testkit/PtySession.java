package jobs.testkit;

import static org.awaitility.Awaitility.await;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One command in a fresh pty, as if typed in a terminal: this pty is the command's controlling
 * terminal, so bytes written here go through a real line discipline (0x1a is Ctrl-Z, 0x03 is
 * Ctrl-C). Everything the command prints is kept in a transcript by a platform thread (pty4j
 * reads pin virtual threads' carriers, see PLATFORM.md). Sizes are given as pty4j's
 * {@link WinSize} takes them: columns, then rows. {@link #close()} kills the command and what
 * it started in its terminal's session.
 */
public final class PtySession implements AutoCloseable {
    /** A loaded 2-core machine may take seconds to start a JVM or two. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final PtyProcess pty;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final Thread reader;

    private PtySession(PtyProcess pty) {
        this.pty = pty;
        reader = Thread.ofPlatform().daemon().name("pty reader " + pty.pid()).start(this::drain);
    }

    /** The command in this JVM's directory and environment, plus extraEnv (TERM=xterm). */
    public static PtySession start(List<String> command, Map<String, String> extraEnv, int cols, int rows)
            throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("PATH", "/usr/bin:/bin");
        env.put("TERM", "xterm");
        env.putAll(extraEnv);
        return start(Path.of("").toAbsolutePath(), env, command, cols, rows);
    }

    /** The command in dir with exactly env, in an 80x24 terminal. */
    public static PtySession start(Path dir, Map<String, String> env, List<String> command) throws IOException {
        return start(dir, env, command, 80, 24);
    }

    public static PtySession start(Path dir, Map<String, String> env, List<String> command, int cols, int rows)
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
            // EIO once the last process using the pty is gone: the transcript is complete
        }
    }

    /** What the command printed so far, without colours, cursor moves or carriage returns. */
    public String text() {
        return raw().replaceAll("\u001B\\[[0-?]*[ -/]*[@-~]", "")
                .replaceAll("\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)", "")
                .replace("\r", "");
    }

    /** What the terminal received so far, byte for byte (as UTF-8), CR LF line ends and all. */
    public String raw() {
        synchronized (transcript) {
            return transcript.toString(StandardCharsets.UTF_8);
        }
    }

    /** The raw bytes so far, escape sequences and all. */
    public byte[] bytes() {
        synchronized (transcript) {
            return transcript.toByteArray();
        }
    }

    /** Waits until {@link #text()} contains expected. */
    public void awaitText(String expected) {
        try {
            await("output containing \"" + expected + "\"").atMost(WAIT).until(() -> text().contains(expected));
        } catch (ConditionTimeoutException e) {
            // what the terminal showed is what tells a stuck client from a lost byte
            String t = text();
            throw new AssertionError("no \"" + expected + "\" within " + WAIT.toSeconds() + " s; the terminal shows:\n"
                    + t.substring(Math.max(0, t.length() - 2000)), e);
        }
    }

    /**
     * Waits until the {@link #raw()} transcript meets the condition and returns it: for tests of
     * what reaches the terminal exactly, such as the CR LF that ends a status line in raw mode.
     */
    public String awaitText(Predicate<String> onRaw) {
        await().atMost(WAIT).until(() -> onRaw.test(raw()));
        return raw();
    }

    /** How many times s occurs in {@link #text()}. */
    public int count(String s) {
        String t = text();
        int n = 0;
        for (int i = t.indexOf(s); i >= 0; i = t.indexOf(s, i + s.length())) n++;
        return n;
    }

    /** Keys as ISO-8859-1 bytes: one byte per char. */
    public void write(String keys) throws IOException {
        write(keys.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        write(b);
    }

    public void write(byte[] b) throws IOException {
        pty.getOutputStream().write(b);
        pty.getOutputStream().flush();
    }

    /** As a terminal window resized by its user: the kernel sends SIGWINCH to the foreground group. */
    public void resize(int cols, int rows) {
        pty.setWinSize(new WinSize(cols, rows));
    }

    /**
     * Waits until the client has put the terminal in raw mode. Before that, a 0x1a or 0x03 would
     * be a signal for the client itself (or dropped, its process group being orphaned) instead of
     * a byte for the job.
     */
    public void awaitRawMode() {
        await("raw mode on the client's terminal").atMost(WAIT).until(() -> !isig());
    }

    private boolean isig() throws IOException, InterruptedException {
        if (!pty.isAlive()) throw new IllegalStateException("exited before raw mode:\n" + text());
        // the launcher execs the JVM, so the pty's first process keeps the terminal on fd 0
        Path tty = Files.readSymbolicLink(Path.of("/proc", Long.toString(pty.pid()), "fd", "0"));
        Process stty = new ProcessBuilder("stty", "-F", tty.toString(), "-a").redirectErrorStream(true).start();
        stty.getOutputStream().close();
        String settings = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (stty.waitFor() != 0) throw new IOException("stty: " + settings.strip());
        return !Arrays.asList(settings.split("\\s+")).contains("-isig");
    }

    /** Waits for the command to exit and for its last output, then returns its exit code. */
    public int awaitExit() throws InterruptedException {
        try {
            await("exit of the command").atMost(WAIT).until(() -> !pty.isAlive());
        } catch (ConditionTimeoutException e) {
            // the transcript at the timeout, not at the call: an echo that came after the call
            // (a job's "^Z") tells a key that reached the job from one that never left the client
            throw new AssertionError("no exit within " + WAIT.toSeconds() + " s; the terminal shows:\n" + text(), e);
        }
        reader.join(WAIT.toMillis());
        return pty.exitValue();
    }

    public long pid() {
        return pty.pid();
    }

    /**
     * Kills the command and whatever it started in its terminal's session (a JVM under a shell
     * wrapper, say), but not a daemon it started: that one left the session (setsid) and is
     * ended by the test's clean-up as users end it, with kill-server.
     */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(pty.pid()).ifPresent(h -> h.descendants()
                .filter(p -> Proc.session(p.pid()) == pty.pid())
                .forEach(ProcessHandle::destroyForcibly));
        if (pty.isAlive()) {
            pty.destroyForcibly();
            pty.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        reader.join(WAIT.toMillis());
    }
}
