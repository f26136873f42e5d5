package jobs.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.testkit.Jvm;

/**
 * The real CLI ({@code jobs.cli.Main}) as a child process with no terminal, talking to the daemon
 * of one runtime dir; the daemon it starts is a real, separate process.
 */
final class Cli {
    private static final Pattern STARTED = Pattern.compile("\\[(\\d+)] (\\d+)");

    private final Path xdgRuntimeDir;
    private final Path configHome;
    private final Path stateHome;
    private final List<String> jvmOptions;

    /** The jobs' output logs go under configHome/state: a test never writes to the real home. */
    Cli(Path xdgRuntimeDir, Path configHome) {
        this(xdgRuntimeDir, configHome, configHome.resolve("state"));
    }

    Cli(Path xdgRuntimeDir, Path configHome, Path stateHome) {
        this(xdgRuntimeDir, configHome, stateHome, List.of());
    }

    private Cli(Path xdgRuntimeDir, Path configHome, Path stateHome, List<String> jvmOptions) {
        this.xdgRuntimeDir = xdgRuntimeDir;
        this.configHome = configHome;
        this.stateHome = stateHome;
        this.jvmOptions = jvmOptions;
    }

    /** The same user and dirs, with a CLI started with these JVM options (-D...). */
    Cli withJvmOptions(String... options) {
        return new Cli(xdgRuntimeDir, configHome, stateHome, List.of(options));
    }

    record Result(int code, String out, String err) {
        /** The job's pid from {@code run -d}'s "[id] pid". */
        long startedPid() {
            Matcher m = STARTED.matcher(out);
            if (code != 0 || !m.find()) throw new AssertionError("not started: " + this);
            return Long.parseLong(m.group(2));
        }
    }

    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(Jvm.command("jobs.cli.Main", args));
        command.addAll(1, jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XDG_RUNTIME_DIR", xdgRuntimeDir.toString());
        pb.environment().put("XDG_CONFIG_HOME", configHome.toString());
        pb.environment().put("XDG_STATE_HOME", stateHome.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    Result run(String... args) throws Exception {
        return finish(start(args));
    }

    /**
     * Ends this runtime dir's daemon as users do (kill-server), then kills whatever is left and
     * waits until nothing remains. Runners do not carry the marker in their environment: they go
     * as the daemon's children.
     */
    void shutDown() throws Exception {
        run("kill-server");
        for (ProcessHandle p : Leftovers.find(xdgRuntimeDir)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Leftovers.awaitNone(xdgRuntimeDir);
    }

    static Result finish(Process p) throws Exception {
        // drain both pipes while it runs: a full pipe would block the client
        byte[][] err = new byte[1][];
        Thread errReader = Thread.ofPlatform().start(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        errReader.join();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("client did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err[0], StandardCharsets.UTF_8));
    }
}
