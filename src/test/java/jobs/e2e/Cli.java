package jobs.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    static Result finish(Process p) throws Exception {
        // both pipes are drained on threads of their own while it runs (a full pipe would block
        // the client), so that a client that hangs fails here after the wait, with what it
        // printed, instead of blocking the test in a read that no timeout can interrupt
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (!p.waitFor(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("client did not finish within " + CLIENT_WAIT.toSeconds() + " s: "
                    + p.info().commandLine().orElse("?") + "\nstdout: " + text(out) + "\nstderr: " + text(err));
        }
        return new Result(p.exitValue(), text(out), text(err));
    }

    /** Longer than any command's own wait (a returning client's, 45 s; list after a crash, 30 s). */
    private static final java.time.Duration CLIENT_WAIT = java.time.Duration.ofSeconds(120);

    private static CompletableFuture<byte[]> drain(java.io.InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.complete(new byte[0]);
            }
        });
        return f;
    }

    private static String text(CompletableFuture<byte[]> bytes) throws Exception {
        try {
            return new String(bytes.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (java.util.concurrent.TimeoutException e) {
            return "(still open: a process the client started holds the pipe)";
        }
    }
}
