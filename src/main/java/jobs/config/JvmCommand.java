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

    private JvmCommand() {}

    /** The daemon: long-lived, holds every job's buffers. */
    public static List<String> daemon(List<String> args) {
        List<String> cmd = base();
        cmd.add("-XX:+UseSerialGC");
        // the default initial heap is 1/64 of RAM: its young generation fills with the garbage of
        // every request before the first collection, ~30 MB idle RSS and more while output floods
        cmd.add("-Xms8m");
        cmd.add("-Xss512k");
        // a virtual thread that loads a class pins its carrier meanwhile (see daemon.CodecWarmUp):
        // two of them waiting on each other's loader locks must not hold every carrier of a
        // 2-core machine. Carriers start on demand, so the spare ones cost nothing when idle.
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + Math.max(4, Runtime.getRuntime().availableProcessors()));
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
     * A job's runner. It must print nothing: everything it writes lands on the job's terminal, so
     * the JVM's logging and warnings are off (a stale AOT cache is then ignored without a word).
     */
    public static List<String> runner(List<String> args) {
        List<String> cmd = runnerJvm();
        String cache = System.getProperty(RUNNER_AOT);
        if (cache != null && Files.isRegularFile(Path.of(cache))) cmd.add("-XX:AOTCache=" + cache);
        return finish(cmd, "__runner", args);
    }

    /** A runner that writes the runners' AOT cache to {@code cache} as it exits (RunnerTraining). */
    public static List<String> runnerTraining(Path cache, List<String> args) {
        List<String> cmd = runnerJvm();
        cmd.add("-XX:AOTCacheOutput=" + cache);
        return finish(cmd, "__runner", args);
    }

    /**
     * A runner is idle almost all its life, one per job: what counts is the memory it keeps.
     * Measured on an idle runner (PSS, see the benchmark's figure 4):
     * <ul>
     * <li>-Xint: C1 cost ~8 MB, its code cache plus the compiler's arenas, which glibc keeps after
     *     they are freed; the runner runs too little code to gain from compiling it.</li>
     * <li>-Xmn1m: the young generation is touched whole over and over during start-up; a small
     *     one saves ~2 MB. (The AOT cache's objects must still fit in the old generation.)</li>
     * <li>ArchiveRelocationMode=0: JDK 25 relocates the CDS/AOT archive to a random address by
     *     default, which writes to every page of it and makes ~7 MB private to each runner;
     *     mapped where it was dumped, it stays clean and shared by all runners. This gives up
     *     the randomised address of the archive (not of the rest of the process).</li>
     * <li>No perf data: no shared hsperfdata file, and no sampler waking up.</li>
     * </ul>
     * And what wakes an idle runner (schedstat of its threads): the monitor deflation thread
     * four times a second and the service thread's cleanup once a second, ~0.1 ms per runner
     * per second, a few clock ticks every 10 s for 50 runners. A runner inflates a handful of
     * monitors in its life, so deflating them can wait; only the JVM's 5 s chunk pool cleaner
     * is left, which no flag turns off.
     */
    private static List<String> runnerJvm() {
        List<String> cmd = base();
        cmd.add("-Xint");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xms16m");
        cmd.add("-Xmx16m");
        cmd.add("-Xmn1m");
        cmd.add("-Xss256k");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-XX:+UnlockDiagnosticVMOptions");
        cmd.add("-XX:ArchiveRelocationMode=0");
        cmd.add("-XX:AsyncDeflationInterval=0");
        cmd.add("-XX:GuaranteedAsyncDeflationInterval=" + Integer.MAX_VALUE);
        cmd.add("-XX:ServiceThreadCleanupInterval=" + Integer.MAX_VALUE);
        cmd.add("-Xlog:disable");
        cmd.add("-XX:-PrintWarnings");
        return cmd;
    }

    private static List<String> base() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String logConfig = System.getProperty("logback.configurationFile");
        if (logConfig != null) cmd.add("-Dlogback.configurationFile=" + logConfig);
        // the launcher's copy of junixsocket's native library spares every JVM of ours extracting it
        for (String p : List.of("jobs.backlog.bytes", "jobs.kill.grace.millis", "jobs.home",
                "jobs.warm.runners", "jobs.protocol.version", "org.newsclub.net.unix.library.override", RUNNER_AOT)) {
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
