package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmCommand;
import jobs.testkit.Jvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's terminal shows the job's output and nothing else: the runner JVM leads that terminal,
 * so any warning of its JVM would land there. The launcher hands the daemon an AOT cache for
 * the runners that may be missing or stale (a new jar, a new JDK, a half-written file); each
 * case runs {@code printf x} through a real CLI and daemon and replays exactly what the job's
 * pty carried.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunnerSilenceTest {
    @TempDir
    static Path caches;
    /** A real AOT cache, of another JVM's configuration and class path. */
    static Path foreign;

    @RegisterExtension
    final TestUser user = new TestUser();
    Path tmp;
    Path runtime;
    Cli cli;

    @BeforeAll
    static void makeForeignCache() throws Exception {
        foreign = caches.resolve("foreign.aot");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTCacheOutput=" + foreign, "-Xlog:disable", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "java -XX:AOTCacheOutput did not finish");
        assertTrue(Files.size(foreign) > 0, "no AOT cache was written");
    }

    @BeforeEach
    void setUp() {
        tmp = user.dir();
        runtime = user.runtime();
        cli = user.cli();
    }

    @Test
    void noCache() throws Exception {
        assertJobShowsOnlyItsOutput(null);
    }

    @Test
    void missingCache() throws Exception {
        assertJobShowsOnlyItsOutput(tmp.resolve("no-such.aot"));
    }

    @Test
    void garbageCache() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.aot"), "not an AOT cache\n".repeat(1000));
        assertJobShowsOnlyItsOutput(garbage);
    }

    @Test
    void halfWrittenCache() throws Exception {
        byte[] whole = Files.readAllBytes(foreign);
        Path half = Files.write(tmp.resolve("half.aot"), Arrays.copyOf(whole, whole.length / 2));
        assertJobShowsOnlyItsOutput(half);
    }

    @Test
    void cacheOfAnotherConfiguration() throws Exception {
        assertJobShowsOnlyItsOutput(foreign);
    }

    private void assertJobShowsOnlyItsOutput(Path cache) throws Exception {
        Cli.Result run = client(cache, "run", "-d", "printf", "x");
        assertEquals(0, run.code(), run.toString());
        // -o replays all the pty carried from the runner's start on, then the job's exit status
        Cli.Result replay = client(cache, "continue", "-o", "1");
        assertEquals(new Cli.Result(0, "x", ""), replay);
    }

    /** The CLI with the launcher's property; a daemon it starts inherits it. */
    private Cli.Result client(Path cache, String... args) throws Exception {
        List<String> cmd = Jvm.command("jobs.cli.Main", args);
        if (cache != null) cmd.add(1, "-D" + JvmCommand.RUNNER_AOT + "=" + cache);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("XDG_CONFIG_HOME", user.config().toString());
        pb.environment().put("XDG_STATE_HOME", user.state().toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return Cli.finish(pb.start());
    }
}
