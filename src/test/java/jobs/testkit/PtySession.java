package jobs.testkit;

import static org.awaitility.Awaitility.await;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A process in a real pty (pty4j), with everything it prints collected in a transcript.
 * {@link #close()} kills the process and whatever it started.
 */
public final class PtySession implements AutoCloseable {
    private final PtyProcess process;
    private final StringBuilder transcript = new StringBuilder();
    private final Thread reader;

    private PtySession(PtyProcess process) {
        this.process = process;
        this.reader = new Thread(this::collect, "pty transcript");
        reader.setDaemon(true);
        reader.start();
    }

    public static PtySession start(List<String> command, Map<String, String> extraEnv, int cols, int rows)
            throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("PATH", "/usr/bin:/bin");
        env.put("TERM", "xterm");
        env.putAll(extraEnv);
        PtyProcess p = new PtyProcessBuilder(command.toArray(String[]::new))
                .setEnvironment(env)
                .setInitialColumns(cols)
                .setInitialRows(rows)
                .setConsole(false)
                .start();
        return new PtySession(p);
    }

    private void collect() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (transcript) {
                    transcript.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            // EIO when the last process using the pty exits
        }
    }

    public String text() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    public void write(String s) throws IOException {
        process.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
        process.getOutputStream().flush();
    }

    public void resize(int cols, int rows) {
        process.setWinSize(new WinSize(cols, rows));
    }

    public String awaitText(Predicate<String> condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> condition.test(text()));
        return text();
    }

    public int awaitExit() throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
        return process.waitFor();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    }
}
