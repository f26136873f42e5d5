package jobs.daemon;

import java.nio.file.Path;

/** STUB on the client branch so that cli.Main compiles; the lead's daemon replaces it. */
public final class DaemonMain {
    private DaemonMain() {}

    public static int run(Path logFileOrNull) {
        System.err.println("jobs: the daemon is not part of this build");
        return 1;
    }
}
