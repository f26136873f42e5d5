package jobs.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jobs.testkit.Proc;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process of its own, started by the real CLI as users start it, then
 * killed with SIGKILL: none of its jobs may outlive it, not even one that ignores SIGHUP, and the
 * next {@code jobs run} must get a fresh daemon whatever the dead one left on disk. Two clients
 * racing to start it end up with one.
 */
@Timeout(180)
class DaemonKillTest {
    @TempDir
    Path tmp;
    Path runtime;
    Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        runtime = Files.createDirectory(tmp.resolve("xdg"));
        cli = new Cli(runtime, tmp.resolve("config"));
    }

    @AfterEach
    void tearDown() throws Exception {
        cli.shutDown();
    }

    /**
     * Timeline: three jobs in the background (one ignores SIGHUP, one is stopped); SIGKILL to the
     * daemon; every job and runner is gone within the grace period, though the socket and lock
     * file stay behind; the next {@code jobs run} starts a fresh daemon over them.
     */
    @Test
    void killedDaemonTakesItsJobsAlongAndTheNextRunStartsAFreshOne() throws Exception {
        long plain = cli.run("run", "-d", "sleep", "1000").startedPid();
        long deaf = cli.run("run", "-d", "sh", "-c", "trap '' HUP; sleep 1001").startedPid();
        long stopped = cli.run("run", "-d", "sh", "-c", "kill -STOP $$; sleep 1002").startedPid();
        await().atMost(PtySession.WAIT).until(() -> Proc.state(stopped) == 'T');
        long daemon = parent(parent(plain));
        assertTrue(Proc.commandLine(daemon).contains("daemon"), Proc.commandLine(daemon));
        List<Long> watched = new ArrayList<>(List.of(plain, deaf, stopped, parent(plain), parent(deaf), parent(stopped)));
        watched.addAll(ProcessHandle.of(deaf).orElseThrow().descendants().map(ProcessHandle::pid).toList());

        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();

        try {
            await().atMost(PtySession.WAIT).until(() -> watched.stream().noneMatch(Proc::alive));
        } catch (ConditionTimeoutException e) {
            fail("outlived the daemon: " + watched.stream().filter(Proc::alive)
                    .map(p -> p + " " + Proc.commandLine(p)).toList());
        }
        Path socket = runtime.resolve("job-security/sock");
        assertTrue(Files.exists(socket), "the dead daemon's socket should still be there");
        assertTrue(Files.exists(runtime.resolve("job-security/lock")));

        Cli.Result again = cli.run("run", "-d", "sleep", "1003");
        assertEquals(0, again.code(), again.toString());
        long fresh = again.startedPid();
        assertTrue(parent(parent(fresh)) != daemon);
        Cli.Result list = cli.run("list", "--json");
        assertTrue(list.out().contains("1003") && !list.out().contains("1000"), list.out());
    }

    /** Two clients that find no daemon start one each: the lock lets exactly one serve both. */
    @Test
    void racingStartsEndWithExactlyOneDaemon() throws Exception {
        for (int round = 0; round < 2; round++) {
            Process a = cli.start("run", "-d", "sleep", "1000");
            Process b = cli.start("run", "-d", "sleep", "1001");
            Cli.Result ra = Cli.finish(a);
            Cli.Result rb = Cli.finish(b);
            List<Long> daemons = Leftovers.find(runtime).stream()
                    .filter(p -> Proc.commandLine(p.pid()).endsWith(" daemon") && Proc.alive(p.pid()))
                    .map(ProcessHandle::pid)
                    .toList();
            assertEquals(1, daemons.size(), "daemons: " + daemons);
            long daemon = daemons.getFirst();
            assertEquals(daemon, parent(parent(ra.startedPid())), ra.toString());
            assertEquals(daemon, parent(parent(rb.startedPid())), rb.toString());
            assertEquals(0, cli.run("kill-server").code());
            await().atMost(PtySession.WAIT).until(() -> !Proc.alive(daemon));
        }
    }

    // ---- helpers ----

    private static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }
}
