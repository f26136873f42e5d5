package jobs.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jobs.testkit.PtySession;

/**
 * The real {@code ./jobs} launcher of a {@link TestUser}, with no terminal (stdin /dev/null,
 * stdout and stderr kept), as a script would call it. For a terminal, {@link #pty}.
 */
final class Launcher {
    static final Path REPO = Path.of("").toAbsolutePath();

    private final TestUser user;
    final Path runtime;
    final Map<String, String> env;

    Launcher(TestUser user) {
        this.user = user;
        runtime = user.runtime();
        env = user.env();
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

    /** In an 80x24 terminal, closed after the test. */
    PtySession pty(String... args) throws IOException {
        return user.pty(REPO, env, command(args), 80, 24);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("jobs").toString());
        command.addAll(List.of(args));
        return command;
    }
}
