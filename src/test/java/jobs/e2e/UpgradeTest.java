package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A newer build of jobs meets the daemon of an older one. The newer build is this one made to
 * speak protocol 4 ({@code -Djobs.protocol.version=4}): real processes of two versions, the
 * old daemon's jobs running under it. The first command of the new build hands every job to a
 * daemon of its own version by itself, says so in one line, and then does what it was asked;
 * the old build is never given the jobs back behind the user's back.
 */
@Timeout(240)
class UpgradeTest {
    private static final String NOTICE = "jobs: the daemon was from an older version of jobs (protocol 3); ";
    @RegisterExtension
    final TestUser user = new TestUser();
    Path runtime;
    Cli old;
    Cli next;

    @BeforeEach
    void setUp() throws IOException {
        runtime = user.runtime();
        old = user.cli(); // kill-server after the test works across versions
        next = old.withJvmOptions("-Djobs.protocol.version=4");
    }

    /**
     * Timeline: a numbering job and a stopped one under the old daemon; the new build's first
     * command is a list, which hands both over with ids, pids, states and names, and the
     * numbering job's log goes on without a gap; the old build now gets the one-line advice
     * and exit 1, and new ids go on after the highest.
     */
    @Test
    void firstCommandOfANewerBuildHandsEveryJobOverAndThenRuns() throws Exception {
        long counter = old.run("run", "-d", "--name", "counter", "sh", "-c",
                "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo $i; sleep 0.02; done").startedPid();
        long stopped = old.run("run", "-d", "sh", "-c", "kill -STOP $$; sleep 1000").startedPid();
        await().atMost(PtySession.WAIT).until(() -> Proc.state(stopped) == 'T');
        Map<Integer, String> before = jobs(old.run("list", "--json").out());
        long oldDaemon = parent(parent(counter));
        assertTrue(Proc.commandLine(oldDaemon).endsWith(" daemon"), Proc.commandLine(oldDaemon));

        Cli.Result list = next.run("list", "--json");
        assertEquals(0, list.code(), list.toString());
        assertEquals(NOTICE + "2 jobs handed over to this version's daemon\n", list.err());
        assertEquals(before, jobs(list.out()));
        assertTrue(!Proc.alive(oldDaemon), "the old daemon is gone");
        long newDaemon = Leftovers.onlyDaemon(runtime);
        assertNotEquals(oldDaemon, newDaemon);
        assertEquals('T', Proc.state(stopped));

        Cli.Result refused = old.run("list");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("protocol 4") && refused.err().contains("restart-server"), refused.err());
        assertEquals(newDaemon, Leftovers.onlyDaemon(runtime));

        long seen = await().atMost(PtySession.WAIT).until(() -> gaplessCount(next.run("log", "counter").out()),
                n -> n > 0 && Proc.alive(counter));
        assertTrue(seen > 0);
        Cli.Result third = next.run("run", "-d", "sleep", "1000");
        assertTrue(third.out().startsWith("[3] "), third.toString());
        assertEquals("", third.err());
    }

    /**
     * A run is refused by the old daemon before it starts anything: after the hand-over it runs
     * once, not twice. Two new clients at once hand over once and end with one daemon.
     */
    @Test
    void refusedRunRunsOnceAndRacingClientsLeaveOneDaemon() throws Exception {
        old.run("run", "-d", "sleep", "1000").startedPid();
        Process a = next.start("run", "-d", "sleep", "1001");
        Process b = next.start("list", "--json");
        Cli.Result ra = Cli.finish(a);
        Cli.Result rb = Cli.finish(b);
        assertEquals(0, ra.code(), ra.toString());
        assertEquals(0, rb.code(), rb.toString());
        assertTrue(ra.out().startsWith("[2] "), ra.toString());
        // exactly one of them did the hand-over and said so
        String notices = ra.err() + rb.err();
        assertEquals(1, notices.split(java.util.regex.Pattern.quote(NOTICE), -1).length - 1, notices);

        Map<Integer, String> after = jobs(next.run("list", "--json").out());
        assertEquals(List.of(1, 2), List.copyOf(after.keySet()), after.toString());
        long daemon = Leftovers.onlyDaemon(runtime);
        assertEquals(daemon, parent(parent(ra.startedPid())));
    }

    /** id to "pid state name" of every job in list --json. */
    private static Map<Integer, String> jobs(String json) {
        Map<Integer, String> jobs = new TreeMap<>();
        JsonArray all = JsonParser.parseString(json).getAsJsonArray();
        for (JsonElement e : all) {
            JsonObject j = e.getAsJsonObject();
            String name = j.get("name").isJsonNull() ? "-" : j.get("name").getAsString();
            jobs.put(j.get("id").getAsInt(), j.get("pid").getAsLong() + " " + j.get("state").getAsString() + " " + name);
        }
        return jobs;
    }

    /** How many numbered lines the log holds, all in order from 1; -1 at the first gap. */
    private static long gaplessCount(String log) {
        long expected = 1;
        for (String line : log.split("\r?\n")) {
            if (line.isEmpty()) continue;
            if (!line.equals(Long.toString(expected))) return -1;
            expected++;
        }
        return expected - 1;
    }

    private static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }
}
