package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill, wait, clean, names, jobspecs and take-over through the real {@code ./jobs}, each test
 * with a daemon of its own. Nothing here times anything: every wait is for a state the daemon
 * reports.
 */
@Tag("e2e")
@Timeout(300)
class JobControlTest {
    private static final int CTRL_C = 0x03;

    @RegisterExtension
    final TestUser user = new TestUser();
    Launcher jobs;

    @BeforeEach
    void setUp() {
        jobs = new Launcher(user);
    }

    /**
     * Timeline: 'web' (sleep 300) and sleep 301 run → a second 'web' is refused → '%sl' is
     * ambiguous, '%sleep 301' is not → a bad signal is a usage error → 'kill -s HUP web nope'
     * hangs up web and reports nope → 'wait web' says SIGHUP (129) → job 2 is killed by %jobspec
     * → killing it again says it has ended; both stay listed, with name and ended_at.
     */
    @Test
    void killByIdNameAndJobspec() throws Exception {
        jobs.run("run", "-d", "--name", "web", "sleep", "300").startedPid();
        jobs.run("run", "-d", "sleep", "301").startedPid();

        Cli.Result clash = jobs.run("run", "-d", "--name", "web", "sleep", "5");
        assertEquals(1, clash.code(), clash.toString());
        assertEquals("jobs: the name 'web' is taken by job 1\n", clash.err());

        Cli.Result ambiguous = jobs.run("kill", "%sl");
        assertEquals(1, ambiguous.code(), ambiguous.toString());
        assertEquals("jobs: kill: '%sl' is ambiguous: [1] sleep 300, [2] sleep 301\n", ambiguous.err());

        Cli.Result badSignal = jobs.run("kill", "-s", "BOGUS", "1");
        assertEquals(2, badSignal.code(), badSignal.toString());
        assertTrue(badSignal.err().startsWith("jobs: kill: unknown signal 'BOGUS'"), badSignal.err());

        Cli.Result partly = jobs.run("kill", "-s", "HUP", "web", "nope");
        assertEquals(1, partly.code(), partly.toString());
        assertEquals("jobs: kill: job 'nope' not found\n", partly.err());
        Cli.Result hungUp = jobs.run("wait", "web");
        assertEquals(129, hungUp.code(), hungUp.toString());
        assertEquals("jobs: job 1 terminated by signal SIGHUP\n", hungUp.err());

        assertEquals(0, jobs.run("kill", "%sleep 301").code());
        assertEquals(143, jobs.run("wait", "2").code());
        Cli.Result again = jobs.run("kill", "2", "99");
        assertEquals(1, again.code(), again.toString());
        assertEquals("jobs: kill: job 99 not found\njobs: kill: job 2 has already ended\n", again.err());

        String json = jobs.run("list", "--json").out();
        assertTrue(json.contains("\"signal\":1,") && json.contains("\"name\":\"web\",\"ended_at\":\"20"), json);
        assertTrue(json.contains("\"id\":2,"), json);
    }

    /**
     * Timeline: a job that ignores SIGTERM → 'kill --timeout 1' returns once SIGKILL ended it →
     * 'wait' says 137. Two sleeps → 'kill --all' → both end with SIGTERM.
     */
    @Test
    void killTimeoutAndAll() throws Exception {
        jobs.run("run", "-d", "sh", "-c", "trap '' TERM; while :; do sleep 0.1; done").startedPid();
        Cli.Result kill = jobs.run("kill", "--timeout", "1", "1");
        assertEquals(0, kill.code(), kill.toString());
        assertEquals(137, jobs.run("wait", "1").code());

        jobs.run("run", "-d", "sleep", "300").startedPid();
        jobs.run("run", "-d", "sleep", "301").startedPid();
        assertEquals(0, jobs.run("kill", "--all").code());
        Cli.Result waited = jobs.run("wait", "2", "3");
        assertEquals(143, waited.code(), waited.toString());
        assertTrue(jobs.run("list", "--json").out().contains("\"id\":3,\"pid\""));
    }

    /**
     * Timeline: job 1 exits 3, job 2 sleeps → 'wait 1' is 3 (and 1 stays listed, so 'continue 1'
     * still gets its 3 and collects it) → 'wait --timeout 1 2' gives up with 124 → SIGSTOP
     * stops job 2 → a waiter reports it stopped once → 'kill 2' (TERM and CONT) ends it →
     * the waiter exits 143 → with nothing alive, 'wait' is 0 at once; an unknown id is 1.
     */
    @Test
    void waitForStatusTimeoutAndStoppedJobs() throws Exception {
        jobs.run("run", "-d", "sh", "-c", "exit 3").startedPid();
        jobs.run("run", "-d", "sleep", "300").startedPid();
        assertEquals(3, jobs.run("wait", "1").code());
        assertEquals(3, jobs.run("wait", "%1").code());
        assertTrue(jobs.run("list", "--json").out().contains("\"id\":1,"), "wait must not collect");

        Cli.Result timedOut = jobs.run("wait", "--timeout", "1", "2");
        assertEquals(124, timedOut.code(), timedOut.toString());
        assertEquals("jobs: wait: timed out after 1 s\n", timedOut.err());

        assertEquals(0, jobs.run("kill", "-s", "STOP", "2").code());
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.run("list", "--json").out()
                .contains("\"id\":2,\"pid\"") && jobs.run("list", "--json").out().contains("\"state\":\"stopped\""));
        // each waiter says the job is stopped as soon as the daemon has its request: then kill
        Process waiter = jobs.start("wait", "--any", "2");
        Process second = jobs.start("wait");
        BufferedReader first = new BufferedReader(new InputStreamReader(waiter.getErrorStream(), StandardCharsets.UTF_8));
        BufferedReader other = new BufferedReader(new InputStreamReader(second.getErrorStream(), StandardCharsets.UTF_8));
        assertEquals("[2] Stopped  sleep 300 (still waiting)", first.readLine());
        assertEquals("[2] Stopped  sleep 300 (still waiting)", other.readLine());
        assertEquals(0, jobs.run("kill", "2").code());
        assertEquals("jobs: job 2 terminated by signal SIGTERM", first.readLine());
        assertEquals(null, first.readLine(), "reported once");
        assertEquals(143, waiter.waitFor());
        assertEquals("jobs: job 2 terminated by signal SIGTERM", other.readLine());
        assertEquals(143, second.waitFor());

        assertEquals(0, jobs.run("wait").code());
        Cli.Result unknown = jobs.run("wait", "7");
        assertEquals(1, unknown.code(), unknown.toString());
        assertEquals("jobs: job 7 not found\n", unknown.err());

        Cli.Result continued = jobs.run("continue", "1");
        assertEquals(3, continued.code(), continued.toString());
        assertFalse(jobs.run("list", "--json").out().contains("\"id\":1,"), "continue collects");
    }

    /**
     * Timeline: job 1 ends, job 2 runs → 'clean 2' and 'clean 9' fail with a line each →
     * 'clean' removes job 1 only → after 2 is killed, 'clean %sleep' removes it too.
     */
    @Test
    void cleanRemovesFinishedJobsOnly() throws Exception {
        jobs.run("run", "-d", "true").startedPid();
        jobs.run("run", "-d", "sleep", "300").startedPid();
        assertEquals(0, jobs.run("wait", "1").code());
        Cli.Result refused = jobs.run("clean", "2", "9");
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("jobs: clean: job 9 not found\njobs: clean: job 2 has not ended (end it with 'jobs kill 2')\n",
                refused.err());
        assertEquals(0, jobs.run("clean").code());
        String listed = jobs.run("list", "--json").out();
        assertFalse(listed.contains("\"id\":1,"), listed);
        assertTrue(listed.contains("\"id\":2,"), listed);
        jobs.run("kill", "-9", "2");
        assertEquals(137, jobs.run("wait", "2").code());
        assertEquals(0, jobs.run("clean", "%sleep").code());
        assertEquals("[]\n", jobs.run("list", "--json").out());
    }

    /**
     * Timeline: 'run --name ed cat' attached in terminal A → a plain continue elsewhere is
     * refused and names --steal → 'continue --steal ed' in terminal B attaches → A prints
     * "[1] Taken over by another terminal" and exits 0 → B types to cat, then Ctrl-C → 130.
     */
    @Test
    void stealTakesAnAttachedJobOver() throws Exception {
        PtySession a = pty("run", "--name", "ed", "cat");
        a.awaitRawMode();
        Cli.Result refused = jobs.run("continue", "ed");
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("jobs: job 1 is attached to another terminal (take it over with 'jobs continue --steal 1')\n",
                refused.err());

        PtySession b = pty("continue", "--steal", "ed");
        assertEquals(0, a.awaitExit(), a.text());
        assertTrue(a.text().contains("[1] Taken over by another terminal"), a.text());
        b.awaitRawMode();
        b.write('h', 'i', '\r');
        b.awaitText("hi\nhi\n");
        b.write(CTRL_C);
        assertEquals(130, b.awaitExit(), b.text());
    }

    private PtySession pty(String... args) throws Exception {
        return jobs.pty(args);
    }
}
