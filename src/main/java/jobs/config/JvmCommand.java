package jobs.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM of ours (the daemon, or a job's runner) with the same
 * java and class path as this one, so that a launcher, a test or an installed copy all work.
 */
public final class JvmCommand {
    public static final String MAIN = "jobs.cli.Main";
    /**
     * The runners' AOT cache: a system property of the launcher that the daemon inherits through
     * {@link #daemon}. Unset or missing, runners start without it.
     */
    public static final String RUNNER_AOT = "jobs.runner.aot";
    /** The daemon's AOT cache, as {@link #RUNNER_AOT} is the runners'. */
    public static final String DAEMON_AOT = "jobs.daemon.aot";
    /**
     * The whole class path, for the daemon and the runners, when this JVM runs on a shorter one
     * (the launcher gives a command only the jars a command uses).
     */
    public static final String FULL_CLASS_PATH = "jobs.classpath";
    /** The commands' short class path, for the AOT training of their caches; unset: the same as ours. */
    public static final String CLIENT_CLASS_PATH = "jobs.client.classpath";
    /**
     * The build an installed copy comes from (its bin/jobs sets it): the daemon records it in the
     * runtime directory, where a newer copy's bin/jobs sees that the daemon is from another build.
     */
    public static final String BUILD = "jobs.build";

    private JvmCommand() {}

    /** The daemon: long-lived, holds every job's buffers. */
    public static List<String> daemon(List<String> args) {
        List<String> cmd = base();
        cmd.addAll(JvmFlags.daemon());
        // a virtual thread that loads a class pins its carrier meanwhile (see daemon.CodecWarmUp):
        // two of them waiting on each other's loader locks must not hold every carrier of a
        // 2-core machine. Carriers start on demand, so the spare ones cost nothing when idle.
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + Math.max(4, Runtime.getRuntime().availableProcessors()));
        String cache = System.getProperty(DAEMON_AOT);
        if (cache != null && Files.isRegularFile(Path.of(cache))) cmd.add("-XX:AOTCache=" + cache);
        return finish(cmd, "daemon", args);
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /**
     * The daemon, in a session of its own from its first instruction. Started from the foreground
     * group of a terminal (a client) or of a job's pty (a runner), a JVM takes a second or more to
     * reach its own setsid; a Ctrl-C typed meanwhile (a slow first {@code jobs run} after a build)
     * would kill it with its client, and a Ctrl-Z stop it. setsid(1) of util-linux execs in place
     * (the caller is never a group leader), so the pid stays the daemon's; where it is missing,
     * the daemon's own setsid is all there is.
     */
    public static List<String> detachedDaemon() {
        List<String> cmd = daemon(List.of());
        if (Files.isExecutable(SETSID)) cmd.addFirst(SETSID.toString());
        return cmd;
    }

    /**
     * A job's runner (its flags, in config/jvm.flags, keep an idle runner small). It must print
     * nothing: everything it writes lands on the job's terminal.
     */
    public static List<String> runner(List<String> args) {
        List<String> cmd = base();
        cmd.addAll(JvmFlags.runner());
        String cache = System.getProperty(RUNNER_AOT);
        if (cache != null && Files.isRegularFile(Path.of(cache))) cmd.add("-XX:AOTCache=" + cache);
        return finish(cmd, "__runner", args);
    }

    private static List<String> base() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        String logConfig = System.getProperty("logback.configurationFile");
        if (logConfig != null) cmd.add("-Dlogback.configurationFile=" + logConfig);
        // the launcher's copy of junixsocket's native library spares every JVM of ours extracting it
        for (String p : List.of("jobs.backlog.bytes", "jobs.kill.grace.millis", "jobs.home",
                "jobs.warm.runners", "jobs.protocol.version", "org.newsclub.net.unix.library.override", RUNNER_AOT,
                DAEMON_AOT, BUILD)) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.add("-cp");
        cmd.add(fullClassPath());
        return cmd;
    }

    /** Every jar of ours: the daemon's and the runners' class path. */
    public static String fullClassPath() {
        return System.getProperty(FULL_CLASS_PATH, System.getProperty("java.class.path"));
    }

    /** The class path a command runs on. */
    public static String clientClassPath() {
        return System.getProperty(CLIENT_CLASS_PATH, System.getProperty("java.class.path"));
    }

    private static List<String> finish(List<String> cmd, String role, List<String> args) {
        cmd.add(MAIN);
        cmd.add(role);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The java this process runs on. When a package upgrade has replaced it, the kernel names the
     * old file "java (deleted)": the runtime's java in the same place, the new one, starts instead.
     */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(java -> Files.isExecutable(Path.of(java)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
