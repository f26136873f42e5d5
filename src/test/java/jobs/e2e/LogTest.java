package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code jobs log}: the history on disk, its cap, and a log directory that cannot be written. */
@Timeout(240)
class LogTest {
    private static final int CAP = 64 * 1024;

    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        tmp = user.dir();
    }

    private Cli cli(String settings) throws Exception {
        user.settings(settings);
        cli = user.cli();
        return cli;
    }

    /** seq's lines as the pty gives them: every newline becomes CR LF. */
    private static String seq(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> i + "\r\n").collect(Collectors.joining());
    }

    private JsonArray list() throws Exception {
        return JsonParser.parseString(cli.run("list", "--json").out()).getAsJsonArray();
    }

    private boolean finished(int id) throws Exception {
        for (var j : list()) {
            var o = j.getAsJsonObject();
            if (o.get("id").getAsInt() == id) return o.get("state").getAsString().equals("finished");
        }
        return false;
    }

    @Test
    void aJobWritingThreeTimesTheCapLeavesItsExactTailWithinTheCap() throws Exception {
        cli("log.bytes=" + CAP);
        // 30000 lines of CR LF output: about 200 KB, three times the cap
        cli.run("run", "-d", "seq", "1", "30000").startedPid();
        String expected = seq(30000);
        assertTrue(expected.length() > 3 * CAP);
        await().atMost(PtySession.WAIT).until(() -> finished(1));
        Path file = Path.of(list().get(0).getAsJsonObject().get("log").getAsString());
        assertTrue(file.startsWith(user.state().resolve("job-security")), file::toString);
        await().atMost(PtySession.WAIT).until(() -> Files.readString(file, StandardCharsets.ISO_8859_1).endsWith("30000\r\n"));
        String kept = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(kept.length() <= CAP, () -> kept.length() + " bytes kept");
        assertTrue(kept.length() >= CAP / 2, () -> "only " + kept.length() + " bytes kept");
        assertEquals(expected.substring(expected.length() - kept.length()), kept);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file.getParent())));

        Cli.Result all = cli.run("log", "1");
        assertEquals(0, all.code(), all::toString);
        assertEquals(kept, all.out());
        int gone = expected.length() - kept.length();
        assertEquals("jobs: the oldest " + gone + " bytes of output are gone (over log.bytes)\n", all.err());

        Cli.Result tail = cli.run("log", "-n", "3", "%1");
        assertEquals(new Cli.Result(0, "29998\r\n29999\r\n30000\r\n", ""), tail);
        // a finished job keeps its history until it is collected, and log does not collect it
        assertTrue(finished(1));
    }

    @Test
    void logOfAFinishedJobFollowAndUnknownIds() throws Exception {
        cli("");
        cli.run("run", "-d", "sh", "-c", "printf 'a\\033[1mb\\033[0m\\nc'; exit 3").startedPid();
        await().atMost(PtySession.WAIT).until(() -> finished(1));
        assertEquals(new Cli.Result(0, "a\033[1mb\033[0m\r\nc", ""), cli.run("log", "1"));
        assertEquals(new Cli.Result(0, "c", ""), cli.run("log", "-n", "1", "1"));
        assertEquals(new Cli.Result(0, "", ""), cli.run("log", "-n", "0", "1"));
        // following a job that has ended: its history, then its status, as run would give it
        assertEquals(new Cli.Result(3, "a\033[1mb\033[0m\r\nc", ""), cli.run("log", "-f", "1"));
        assertEquals(new Cli.Result(1, "", "jobs: job 7 not found\n"), cli.run("log", "7"));
        assertEquals(new Cli.Result(1, "", "jobs: job 'x' not found\n"), cli.run("log", "x"));
        assertTrue(finished(1));
    }

    @Test
    void followingALiveJobEndsWithItsSignal() throws Exception {
        cli("");
        Path go = tmp.resolve("go");
        cli.run("run", "-d", "sh", "-c", "echo started; while [ ! -e " + go + " ]; do sleep 0.1; done; echo done; kill -TERM $$")
                .startedPid();
        Process follower = cli.start("log", "-f", "1");
        await().atMost(PtySession.WAIT).until(() -> cli.run("log", "1").out().equals("started\r\n"));
        Files.writeString(go, "");
        Cli.Result r = Cli.finish(follower);
        assertEquals(new Cli.Result(128 + 15, "started\r\ndone\r\n", "jobs: job 1 terminated by signal SIGTERM\n"), r);
    }

    /**
     * The log directory's place is taken by a file: nothing can be written, and the job and its
     * attached client do not notice; log says why there is no history, and so does the daemon log.
     */
    @Test
    void anUnwritableLogDirectoryCostsTheJobNothing() throws Exception {
        Files.writeString(user.state().resolve("job-security"), "not a directory");
        cli("");
        Cli.Result run = cli.run("run", "seq", "1", "20000");
        assertEquals(0, run.code(), run.err());
        assertEquals(seq(20000), run.out());
        cli.run("run", "-d", "sh", "-c", "echo x").startedPid();
        await().atMost(PtySession.WAIT).until(() -> finished(2));
        Cli.Result log = cli.run("log", "2");
        assertEquals(0, log.code());
        assertEquals("", log.out());
        assertTrue(log.err().startsWith("jobs: no output history is kept: log directory ")
                && log.err().endsWith(" is not a directory\n"), log.err());
        assertTrue(list().get(0).getAsJsonObject().get("log").isJsonNull());
        Path daemonLog = user.runtime().resolve("job-security/daemon.log");
        assertTrue(Files.readString(daemonLog).contains("no output history will be kept"));
    }

    @Test
    void zeroLogBytesKeepsNoHistory() throws Exception {
        cli("log.bytes=0");
        cli.run("run", "-d", "sh", "-c", "echo x").startedPid();
        await().atMost(PtySession.WAIT).until(() -> finished(1));
        assertEquals(new Cli.Result(0, "", "jobs: no output history is kept (log.bytes=0)\n"), cli.run("log", "1"));
        assertTrue(!Files.exists(user.state().resolve("job-security")));
    }
}
