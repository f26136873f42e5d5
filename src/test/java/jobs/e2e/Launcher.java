package jobs.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code ./jobs} launcher with no terminal (stdin /dev/null, stdout and stderr kept),
 * in a private runtime dir, as a script would call it. For a terminal, {@link #pty}.
 */
final class Launcher {
    static final Path REPO = Path.of("").toAbsolutePath();

    final Path runtime;
    final Map<String, String> env;

    Launcher(Path tmp) throws IOException {
        runtime = Files.createDirectory(tmp.resolve("xdg"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        env = Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", System.getProperty("user.home"),
                "XDG_RUNTIME_DIR", runtime.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "TERM", "xterm",
                "JOBS_CLASSPATH", System.getProperty("java.class.path"));
    }

    Process start(String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(REPO.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    Cli.Result run(String... args) throws Exception {
        return Cli.finish(start(args));
    }

    PtySession pty(String... args) throws IOException {
        return PtySession.start(REPO, env, command(args));
    }

    /** kill-server, then nothing of this runtime dir may be left. */
    void shutDown() throws Exception {
        run("kill-server");
        for (ProcessHandle p : Leftovers.find(runtime)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Leftovers.awaitNone(runtime);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("jobs").toString());
        command.addAll(List.of(args));
        return command;
    }
}
