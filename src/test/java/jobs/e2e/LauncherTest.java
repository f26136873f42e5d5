package jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.config.JvmFlags;
import jobs.testkit.PtySession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./jobs} launcher, run as a user would in a terminal: a pty of its own, a
 * minimal environment and a private runtime dir, so each test gets its own daemon. The launcher
 * gets JOBS_CLASSPATH (this JVM's class path) because {@code mvn test} runs before the jar exists;
 * it still finds a JDK 25 by itself.
 */
@Tag("e2e")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LauncherTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final int CTRL_C = 0x03;
    private static final int CTRL_Z = 0x1a;

    @TempDir
    Path runtime;

    private Map<String, String> env;
    private final List<PtySession> sessions = new ArrayList<>();

    @BeforeEach
    void privateRuntimeDir() throws IOException {
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        env = Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", System.getProperty("user.home"),
                "XDG_RUNTIME_DIR", runtime.toString(),
                "XDG_STATE_HOME", runtime.resolve("state").toString(),
                "TERM", "xterm",
                "JOBS_CLASSPATH", System.getProperty("java.class.path"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            killServer();
        } finally {
            for (PtySession s : sessions) s.close();
            Leftovers.awaitNone(runtime);
        }
    }

    @Test
    void versionPrintsAVersion() throws Exception {
        PtySession jobs = jobs("--version");
        assertEquals(0, jobs.awaitExit(), jobs.text());
        assertTrue(Pattern.compile("\\d+\\.\\d+").matcher(jobs.text()).find(), jobs.text());
    }

    @Test
    void runPassesOutputAndExitCodeThrough() throws Exception {
        PtySession jobs = jobs("run", "sh", "-c", "echo hello; exit 3");
        assertEquals(3, jobs.awaitExit(), jobs.text());
        assertTrue(jobs.text().contains("hello\n"), jobs.text());
    }

    /*
     * Timeline: run sleep → client raw → ^Z reaches the job's pty → "[ID] Stopped  sleep 100",
     * exit 0 → list (new client) shows it Stopped → continue (new client, new pty) → raw →
     * ^C reaches the resumed sleep → the client reports the signal and exits 128+2.
     */
    @Test
    void ctrlZStopsThenContinueInAnotherTerminalAndCtrlC() throws Exception {
        PtySession run = jobs("run", "sleep", "100");
        run.awaitRawMode();
        run.write(CTRL_Z);
        assertEquals(0, run.awaitExit(), run.text());
        Matcher stopped = Pattern.compile("\\[(\\d+)] Stopped +sleep 100").matcher(run.text());
        assertTrue(stopped.find(), run.text());
        String id = stopped.group(1);

        PtySession list = jobs("list");
        assertEquals(0, list.awaitExit(), list.text());
        assertTrue(list.text().lines().anyMatch(l -> l.contains("sleep 100") && l.contains("Stopped")),
                list.text());

        PtySession resumed = jobs("continue");
        resumed.awaitRawMode();
        resumed.write(CTRL_C);
        assertEquals(130, resumed.awaitExit(), resumed.text());
        assertTrue(resumed.text().contains("jobs: job " + id + " terminated by signal SIGINT"), resumed.text());
    }

    /*
     * Timeline: the shell runs the client → raw → ^Z and "hi⏎" arrive in one read → ^Z reaches
     * the job, "hi⏎" is held → Stopped → the held keys go back into the terminal → the client
     * exits → the shell's `read` gets them, as if the user had typed them at its prompt.
     */
    @Test
    void keysTypedRightAfterCtrlZReachTheShell() throws Exception {
        String jobs = REPO.resolve("jobs").toString();
        PtySession shell = PtySession.start(REPO, env,
                List.of("sh", "-c", jobs + " run sleep 100; read line; echo \"shell got [$line]\""));
        sessions.add(shell);
        shell.awaitRawMode();
        shell.write(CTRL_Z, 'h', 'i', '\r');
        shell.awaitText("shell got [hi");
        assertEquals(0, shell.awaitExit(), shell.text());
    }

    @Test
    void unknownCommandIs127() throws Exception {
        PtySession jobs = jobs("run", "nonexistent-cmd-xyz");
        assertEquals(127, jobs.awaitExit(), jobs.text());
        assertTrue(jobs.text().contains("jobs: nonexistent-cmd-xyz: command not found"), jobs.text());
    }

    @Test
    void unknownSubcommandIsAUsageError() throws Exception {
        PtySession jobs = jobs("bogus");
        assertEquals(2, jobs.awaitExit(), jobs.text());
    }

    /**
     * The launcher's own JVM gets the [all] and [client] lines of config/jvm.flags, as Java reads
     * them for the daemon and the runners: a checkout of the launcher and that file, and a JDK
     * whose java prints its arguments.
     */
    @Test
    void clientFlagsComeFromTheFlagsFile() throws Exception {
        Path repo = Files.createDirectories(runtime.resolve("repo/config"));
        Files.copy(REPO.resolve("config/jvm.flags"), repo.resolve("jvm.flags"));
        repo = repo.getParent();
        Files.copy(REPO.resolve("jobs"), repo.resolve("jobs"), StandardCopyOption.COPY_ATTRIBUTES);
        Path jdk = Files.createDirectories(runtime.resolve("jdk/bin")).getParent();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25\"\n");
        Path java = Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("jobs").toString(), "list").directory(repo.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", jdk.toString());
        Cli.Result launched = Cli.finish(pb.start());
        assertEquals(0, launched.code(), launched.toString());
        List<String> args = launched.out().lines().toList();
        assertEquals(JvmFlags.client(), args.subList(0, JvmFlags.client().size()), args.toString());
        assertEquals(List.of("jobs.cli.Main", "list"), args.subList(args.size() - 2, args.size()), args.toString());
    }

    private PtySession jobs(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("jobs").toString());
        command.addAll(List.of(args));
        PtySession s = PtySession.start(REPO, env, command);
        sessions.add(s);
        return s;
    }

    // No daemon (a test that never ran one) is fine: it answers "no daemon running".
    private void killServer() throws IOException, InterruptedException {
        ProcessBuilder p = new ProcessBuilder(REPO.resolve("jobs").toString(), "kill-server")
                .directory(REPO.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        p.environment().clear();
        p.environment().putAll(env);
        Process kill = p.start();
        if (!kill.waitFor(PtySession.WAIT.toSeconds(), TimeUnit.SECONDS)) kill.destroyForcibly().waitFor();
    }
}
