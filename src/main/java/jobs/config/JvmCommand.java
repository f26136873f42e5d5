package jobs.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM of ours (the daemon, or a job's runner) with the same
 * java and class path as this one, so that a launcher, a test or an installed copy all work.
 */
public final class JvmCommand {
    public static final String MAIN = "jobs.cli.Main";

    private JvmCommand() {}

    /** The daemon: long-lived, holds every job's buffers. */
    public static List<String> daemon(List<String> args) {
        List<String> cmd = base();
        cmd.add("-XX:+UseSerialGC");
        // the default initial heap is 1/64 of RAM: its young generation fills with the garbage of
        // every request before the first collection, ~30 MB idle RSS and more while output floods
        cmd.add("-Xms8m");
        cmd.add("-Xss512k");
        return finish(cmd, "daemon", args);
    }

    /**
     * A job's runner: idle almost all its life, so it gets a small heap and no JIT beyond C1.
     * It must print nothing: everything it writes lands on the job's terminal.
     */
    public static List<String> runner(List<String> args) {
        List<String> cmd = base();
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx16m");
        cmd.add("-Xss256k");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-XX:ReservedCodeCacheSize=16m");
        cmd.add("-Xshare:auto");
        return finish(cmd, "__runner", args);
    }

    private static List<String> base() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String logConfig = System.getProperty("logback.configurationFile");
        if (logConfig != null) cmd.add("-Dlogback.configurationFile=" + logConfig);
        // the launcher's copy of junixsocket's native library spares every JVM of ours extracting it
        for (String p : List.of("jobs.backlog.bytes", "jobs.kill.grace.millis", "jobs.home",
                "org.newsclub.net.unix.library.override")) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static List<String> finish(List<String> cmd, String role, List<String> args) {
        cmd.add(MAIN);
        cmd.add(role);
        cmd.addAll(args);
        return cmd;
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
