package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmFlags;
import jobs.testkit.Proc;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The launcher puts a new build in place while jobs run, one detached and one attached: the
 * daemon of the earlier build hands them to one of the new build by itself, and nobody loses a
 * job, a key or the terminal. The checkout is a copy of the launcher with a jar made from this
 * run's classes (no Maven here: {@code mvn test} runs before the jar exists); a rebuild is a new
 * jar where the build leaves it, which is all the launcher looks at after building.
 */
@Tag("e2e")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RebuildTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final int CTRL_D = 0x04;

    @RegisterExtension
    final TestUser user = new TestUser();
    Path repo;
    Path runtime;
    Map<String, String> env;

    @BeforeEach
    void checkout() throws Exception {
        runtime = user.runtime();
        repo = Files.createDirectory(user.dir().resolve("repo"));
        Files.copy(REPO.resolve("jobs"), repo.resolve("jobs"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(repo.resolve("config"));
        Files.copy(REPO.resolve("config/logback.xml"), repo.resolve("config/logback.xml"));
        Files.copy(REPO.resolve("config/jvm.flags"), repo.resolve("config/jvm.flags"));
        Path lib = Files.createDirectories(repo.resolve("target/lib"));
        // the commands' own class path, as the build makes it (pom.xml: copy-client-libs)
        Path clientLib = Files.createDirectories(repo.resolve("target/client-lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Files.copy(p, lib.resolve(p.getFileName()));
                String name = p.getFileName().toString();
                if (name.startsWith("gson-") || name.startsWith("junixsocket-")) Files.copy(p, clientLib.resolve(name));
            }
        }
        // sources older than the jar: the launcher has nothing to build
        FileTime past = FileTime.from(Instant.now().minusSeconds(3600));
        for (Path p : List.of(repo.resolve("config/logback.xml"), repo.resolve("config/jvm.flags"), repo.resolve("config"))) {
            Files.setLastModifiedTime(p, past);
        }
        buildJar(Instant.now().minusSeconds(600));
        env = user.env();
        env.remove("JOBS_CLASSPATH"); // the copy's launcher runs the copy's jar
    }

    /**
     * Timeline: a detached job and an attached cat under the first build's daemon; a new jar;
     * the next command (a list) says in one line that the daemon was restarted from the new
     * build and lists both jobs with the same ids and pids; the cat's client, attached all
     * along, echoes what is typed next exactly once and ends with the job's status.
     */
    @Test
    void newBuildTakesOverEveryJobAttachedOrNot() throws Exception {
        Cli.Result first = jobs("run", "-d", "sleep", "1000");
        long sleeping = first.startedPid();
        PtySession cat = user.pty(repo, env, List.of(repo.resolve("jobs").toString(), "run", "cat"), 80, 24);
        cat.awaitRawMode();
        cat.write("before\r".getBytes());
        cat.awaitText("before\nbefore\n");
        Map<Integer, Long> before = pids(jobs("list", "--json").out());
        assertEquals(2, before.size(), before.toString());
        long oldDaemon = Leftovers.onlyDaemon(runtime);

        buildJar(Instant.now().plusSeconds(1));
        Cli.Result list = jobs("list", "--json");
        assertEquals(0, list.code(), list.toString());
        assertEquals("jobs: new build: the daemon was restarted from it; 2 jobs kept\n", list.err());
        assertEquals(before, pids(list.out()));
        assertTrue(!Proc.alive(oldDaemon), "the earlier build's daemon is gone");
        assertNotEquals(oldDaemon, Leftovers.onlyDaemon(runtime));

        cat.write("after\r".getBytes());
        cat.awaitText("after\nafter\n");
        cat.write(CTRL_D);
        assertEquals(0, cat.awaitExit(), cat.text());
        assertEquals(2, cat.count("before"), cat.text());
        assertEquals(2, cat.count("after"), cat.text());
        assertTrue(Proc.alive(sleeping));

        Cli.Result again = jobs("list", "--json");
        assertEquals("", again.err(), "the same build hands nothing over twice");
    }

    /**
     * Timeline: the first command after a build trains every AOT cache in one run; the next
     * command trains nothing; a new build, the next command trains again. The caches work: a
     * JVM made to fail on an unusable cache runs list with each, and the quick commands' words
     * are CommandLine's.
     */
    @Test
    void trainsOnceAfterEachBuild() throws Exception {
        Path aot = repo.resolve("target/aot");
        Path stamp = aot.resolve("trained");
        assertEquals(0, jobs("--version").code());
        for (String made : List.of("jobs.aot", "jobs-quick.aot", "runner.aot", "daemon.aot", "quick-words", "trained")) {
            assertTrue(Files.isRegularFile(aot.resolve(made)), made + ": " + Files.readString(aot.resolve("training.log")));
        }
        List<String> words = List.of(Files.readString(aot.resolve("quick-words")).strip().split(" "));
        assertTrue(words.containsAll(List.of("l", "list", "ls", "kill-server", "help", "--help", "--version")), words.toString());
        assertTrue(words.stream().noneMatch(w -> w.startsWith("r") || w.startsWith("c") || w.equals("kill")), words.toString());
        FileTime trained = Files.getLastModifiedTime(stamp);
        for (String cache : List.of("jobs.aot", "jobs-quick.aot")) {
            Cli.Result list = javaWithCache(aot.resolve(cache), "list");
            assertEquals(new Cli.Result(0, "No jobs found\n", ""), list, cache);
        }

        assertEquals(0, jobs("list").code());
        assertEquals(trained, Files.getLastModifiedTime(stamp), "no second training for the same build");

        buildJar(Instant.now().plusSeconds(1));
        assertEquals(0, jobs("--version").code());
        assertTrue(Files.getLastModifiedTime(stamp).compareTo(trained) > 0, "a new build is trained for");
    }

    /** The client's JVM as the launcher starts it, but failing if {@code cache} cannot be used. */
    private Cli.Result javaWithCache(Path cache, String... args) throws Exception {
        // the JDK the launcher found: a cache is tied to it
        String java = Files.readAllLines(repo.resolve("target/.java-path")).get(1);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JvmFlags.client());
        command.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache, "-cp",
                repo.resolve("target/installed.jar") + File.pathSeparator + repo.resolve("target/client-lib/*"),
                "jobs.cli.Main"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The jar the build leaves, from this run's classes, with the given time. */
    private void buildJar(Instant time) throws Exception {
        Path jar = repo.resolve("target/jobs.jar");
        Path fresh = repo.resolve("target/fresh.jar");
        String tool = Path.of(System.getProperty("java.home"), "bin", "jar").toString();
        Process p = new ProcessBuilder(tool, "--create", "--file", fresh.toString(), "-C",
                REPO.resolve("target/classes").toString(), ".")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Files.move(fresh, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(time));
    }

    private Cli.Result jobs(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(repo.resolve("jobs").toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The command in the copied repo, with this user's environment only and no input. */
    private Cli.Result run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return Cli.finish(pb.start());
    }

    /** id to pid of every job in list --json. */
    private static Map<Integer, Long> pids(String json) {
        Map<Integer, Long> jobs = new TreeMap<>();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
            JsonObject j = e.getAsJsonObject();
            jobs.put(j.get("id").getAsInt(), j.get("pid").getAsLong());
        }
        return jobs;
    }

}
