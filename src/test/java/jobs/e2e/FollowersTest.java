package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ten {@code jobs log -f} beside an attached client on a job that floods its terminal; one
 * follower is stopped (SIGSTOP) for the whole flood. Timeline: job prints READY and waits; the
 * followers show READY (so they are registered); one is stopped; the flood runs to END; the
 * client and nine followers end with the job; the stopped one, continued, ends too, saying how
 * much it skipped.
 */
@Timeout(300)
class FollowersTest {
    private static final long FLOOD = 8_000_000;

    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        tmp = user.dir();
        cli = user.cli();
    }

    /** Drains a stream on a thread of its own, keeping the bytes for the checks. */
    static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }

        String await() throws InterruptedException {
            thread.join(120_000);
            return text();
        }
    }

    record Proc(Process process, Drain out, Drain err) {
        static Proc start(Cli cli, String... args) throws IOException {
            Process p = cli.start(args);
            return new Proc(p, new Drain(p.getInputStream()), new Drain(p.getErrorStream()));
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("did not end: " + process);
            return process.exitValue();
        }
    }

    private static void signal(String sig, Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void aStoppedFollowerHoldsUpNeitherTheJobNorTheClientNorTheOthers() throws Exception {
        Path go = tmp.resolve("go");
        String script = "echo READY; while [ ! -e " + go + " ]; do sleep 0.1; done; "
                + "yes 0123456789abcdef | head -c " + FLOOD + "; echo; echo END";
        Proc client = Proc.start(cli, "run", "sh", "-c", script);
        await().atMost(PtySession.WAIT).until(() -> client.out().text().contains("READY"));
        List<Proc> followers = new ArrayList<>();
        for (int i = 0; i < 10; i++) followers.add(Proc.start(cli, "log", "-f", "1"));
        for (Proc f : followers) await().atMost(PtySession.WAIT).until(() -> f.out().text().startsWith("READY\r\n"));
        Proc stopped = followers.getFirst();
        signal("STOP", stopped.process());
        try {
            Files.writeString(go, "");
            assertEquals(0, client.exit(), client.err().await());
            String seen = client.out().await();
            assertTrue(seen.endsWith("\r\nEND\r\n"), () -> seen.substring(Math.max(0, seen.length() - 100)));
            assertTrue(seen.length() > FLOOD, () -> seen.length() + " bytes");
            for (Proc f : followers.subList(1, 10)) {
                assertEquals(0, f.exit(), f.err().await());
                String out = f.out().await();
                assertTrue(out.startsWith("READY\r\n") && out.endsWith("\r\nEND\r\n"),
                        () -> out.substring(Math.max(0, out.length() - 100)));
            }
        } finally {
            signal("CONT", stopped.process());
        }
        assertEquals(0, stopped.exit());
        String out = stopped.out().await();
        assertTrue(out.endsWith("\r\nEND\r\n"), () -> out.substring(Math.max(0, out.length() - 100)));
        String err = stopped.err().await();
        assertTrue(err.matches("(?s)(jobs: skipped \\d+ bytes of output: this reader fell behind\n)+"), err);
    }
}
