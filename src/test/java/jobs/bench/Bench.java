package jobs.bench;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Side-by-side numbers for `jobs` (issue 3): every figure is measured against a baseline in the
 * same run, and printed as median [min..max] and a ratio. Not a test: run it with .ci/bench.
 * BENCH_QUICK=1 makes every figure smaller (fewer runs, smaller data) for a smoke run.
 */
public final class Bench {
    private static final boolean QUICK = System.getenv("BENCH_QUICK") != null;
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final Path JOBS = REPO.resolve("jobs");
    private final Path tmp;
    private final Map<String, String> env = new HashMap<>();
    private final List<String[]> rows = new ArrayList<>();

    private Bench(Path tmp) {
        this.tmp = tmp;
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("jobs-bench");
        Bench b = new Bench(tmp);
        try {
            b.setUp();
            b.throughput();
            b.echoLatency();
            b.startup();
            b.memoryAndIdleCpu();
            b.scale();
            b.flood();
        } finally {
            b.killServer();
            b.print();
        }
    }

    private void setUp() throws IOException {
        Path rt = tmp.resolve("rt");
        Files.createDirectory(rt, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getProperty("user.home"));
        env.put("TERM", "xterm");
        env.put("XDG_RUNTIME_DIR", rt.toString());
    }

    // ---------- 1. throughput ----------

    private void throughput() throws Exception {
        long size = QUICK ? 10L << 20 : 100L << 20;
        Path file = tmp.resolve("text");
        byte[] line = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[line.length * 1000];
            for (int i = 0; i < 1000; i++) System.arraycopy(line, 0, block, i * line.length, line.length);
            for (long w = 0; w < size; w += block.length) out.write(block);
        }
        ensureDaemon();
        int runs = QUICK ? 2 : 5;
        double[] plain = times(runs, () -> drain(List.of("cat", file.toString())));
        row("throughput " + (size >> 20) + " MB: plain pty", plain, plain, "s");
        row("throughput: jobs run cat", times(runs, () -> drain(List.of(JOBS.toString(), "run", "cat", file.toString()))), plain, "s");
        if (has("dtach")) {
            row("throughput: dtach", times(runs, () -> drain(List.of("dtach", "-c", tmp.resolve("dt").toString(), "-z", "-E", "cat", file.toString()))), plain, "s");
        }
        if (has("script")) {
            row("throughput: script", times(runs, () -> drain(List.of("script", "-qfec", "cat " + file, "/dev/null"))), plain, "s");
        }
    }

    /** Seconds for a command in a pty to write everything and exit, its output read as fast as possible. */
    private double drain(List<String> command) throws Exception {
        PtyProcess p = pty(command);
        long t0 = System.nanoTime();
        InputStream in = p.getInputStream();
        byte[] buf = new byte[1 << 16];
        try {
            while (in.read(buf) >= 0) { /* consume */ }
        } catch (IOException eof) {
            // EIO at the end of a pty
        }
        p.waitFor();
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------- 2. echo latency ----------

    private void echoLatency() throws Exception {
        int keys = QUICK ? 200 : 1000;
        double[] plain = echo(List.of("cat"), keys);
        row("echo p50: plain pty", new double[] {pct(plain, 50)}, new double[] {pct(plain, 50)}, "ms");
        row("echo p99: plain pty", new double[] {pct(plain, 99)}, new double[] {pct(plain, 99)}, "ms");
        double[] jobs = echo(List.of(JOBS.toString(), "run", "cat"), keys);
        row("echo p50: jobs run cat", new double[] {pct(jobs, 50)}, new double[] {pct(plain, 50)}, "ms");
        row("echo p99: jobs run cat", new double[] {pct(jobs, 99)}, new double[] {pct(plain, 99)}, "ms");
        if (has("dtach")) {
            double[] dt = echo(List.of("dtach", "-c", tmp.resolve("dt2").toString(), "-z", "-E", "cat"), keys);
            row("echo p50: dtach", new double[] {pct(dt, 50)}, new double[] {pct(plain, 50)}, "ms");
            row("echo p99: dtach", new double[] {pct(dt, 99)}, new double[] {pct(plain, 99)}, "ms");
        }
        if (has("tmux")) {
            String sock = tmp.resolve("tmux").toString();
            double[] tm = echo(List.of("tmux", "-S", sock, "-f", "/dev/null", "new-session", "cat"), keys);
            row("echo p50: tmux", new double[] {pct(tm, 50)}, new double[] {pct(plain, 50)}, "ms");
            row("echo p99: tmux", new double[] {pct(tm, 99)}, new double[] {pct(plain, 99)}, "ms");
            run(List.of("tmux", "-S", sock, "kill-server"));
        }
    }

    /** Milliseconds from writing a key into the terminal until its echo comes back, per key. */
    private double[] echo(List<String> command, int keys) throws Exception {
        PtyProcess p = pty(command);
        InputStream in = p.getInputStream();
        OutputStream out = p.getOutputStream();
        StringBuilder seen = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        seen.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // pty closed
            }
        });
        if (!command.get(0).equals("cat")) {
            // a client puts its terminal in raw mode: before that, the terminal echoes by itself
            String tty = ((com.pty4j.unix.UnixPtyProcess) p).getPty().getSlaveName();
            waitFor(() -> {
                try {
                    return run(List.of("stty", "-F", tty, "-a")).contains("-echo ");
                } catch (Exception e) {
                    return false;
                }
            }, 30_000, 50);
        }
        // wait until the job echoes at all
        waitFor(() -> {
            try {
                out.write('#');
                out.flush();
            } catch (IOException e) {
                return false;
            }
            synchronized (seen) {
                return seen.indexOf("#") >= 0;
            }
        }, 30_000, 100);
        double[] ms = new double[keys];
        for (int i = 0; i < keys; i++) {
            char k = (char) ('a' + i % 26);
            int before;
            synchronized (seen) {
                before = seen.length();
            }
            long t0 = System.nanoTime();
            out.write(k);
            out.flush();
            synchronized (seen) {
                while (seen.indexOf(String.valueOf(k), before) < 0) seen.wait(1000);
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        out.write('\n');
        out.write(4);
        out.flush();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        reader.join(2000);
        return ms;
    }

    // ---------- 3. start-up ----------

    private void startup() throws Exception {
        Path javaFile = tmp.resolve("Trivial.java");
        Files.writeString(javaFile, "public class Trivial { public static void main(String[] a) {} }");
        Path classes = Files.createDirectory(tmp.resolve("trivial"));
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-d", classes.toString(), javaFile.toString()));
        Path jar = tmp.resolve("trivial.jar");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "jar").toString(), "cf", jar.toString(), "-C", classes.toString(), "."));
        List<String> trivial = new ArrayList<>(launcherJvm());
        trivial.addAll(List.of("-cp", jar.toString(), "Trivial"));
        int runs = QUICK ? 3 : 11;
        ensureDaemon();
        double[] base = times(runs, () -> timeRun(trivial));
        row("trivial JVM main (same flags)", base, base, "s");
        row("jobs run true", times(runs, () -> timeRun(List.of(JOBS.toString(), "run", "true"))), base, "s");
        row("jobs list", times(runs, () -> timeRun(List.of(JOBS.toString(), "list"))), base, "s");
    }

    /** The JVM flags the launcher uses, read from the launcher itself by a dry run. */
    private List<String> launcherJvm() throws Exception {
        List<String> cmd = new ArrayList<>();
        for (String line : Files.readAllLines(JOBS)) {
            String t = line.trim();
            if (t.startsWith("-XX:") || t.startsWith("-Xshare") || t.startsWith("--enable-native-access")) {
                cmd.add(t.replace("\\", "").trim().replace("\"", ""));
            }
        }
        cmd.add(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return cmd;
    }

    private double timeRun(List<String> command) throws Exception {
        long t0 = System.nanoTime();
        run(command);
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------- 4 and 5. memory and idle CPU ----------

    private void memoryAndIdleCpu() throws Exception {
        int jobs = QUICK ? 10 : 50;
        killServer();
        ensureDaemon();
        for (int i = 0; i < jobs; i++) run(List.of(JOBS.toString(), "run", "-d", "sleep", "3600"));
        List<Long> pids = daemonAndRunners();
        long pss = 0, rss = 0;
        for (long pid : pids) {
            pss += rollup(pid, "Pss:");
            rss += rollup(pid, "Rss:");
        }
        row("PSS per job (" + jobs + " idle jobs)", new double[] {pss / 1024.0 / jobs}, null, "MB");
        row("RSS per job (" + jobs + " idle jobs)", new double[] {rss / 1024.0 / jobs}, null, "MB");
        long cpu0 = cpuTicks(pids);
        Thread.sleep(QUICK ? 3000 : 10_000);
        row("idle CPU ticks, daemon+runners, " + (QUICK ? 3 : 10) + " s", new double[] {cpuTicks(pids) - cpu0}, null, "ticks");
        killServer();
    }

    private List<Long> daemonAndRunners() {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = String.join(" ", p.info().arguments().orElse(new String[0]));
            if (cmd.contains("jobs.cli.Main daemon") || cmd.contains("jobs.cli.Main __runner")) {
                if (p.info().command().isPresent() && ownEnv(p.pid())) pids.add(p.pid());
            }
        });
        return pids;
    }

    private boolean ownEnv(long pid) {
        try {
            String e = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            return e.contains("XDG_RUNTIME_DIR=" + env.get("XDG_RUNTIME_DIR")) || cmd.contains(tmp.toString());
        } catch (IOException gone) {
            return false;
        }
    }

    private static long rollup(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D", ""));
        }
        return 0;
    }

    private static long cpuTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException gone) {
                // exited
            }
        }
        return sum;
    }

    // ---------- 6. scale ----------

    private void scale() throws Exception {
        int jobs = QUICK ? 10 : 100;
        killServer();
        List<String> daemon = new ArrayList<>(launcherJvm());
        daemon.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        daemon.addAll(List.of("-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2",
                "-cp", classPath(), "jobs.cli.Main", "daemon"));
        ProcessBuilder pb = new ProcessBuilder(daemon).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process d = pb.start();
        Path sock = Path.of(env.get("XDG_RUNTIME_DIR"), "job-security", "sock");
        waitFor(() -> Files.exists(sock), 30_000, 50);
        List<AFUNIXSocket> controls = new ArrayList<>();
        List<FileInputStream> ins = new ArrayList<>();
        List<FileOutputStream> outs = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock));
            s.setAncillaryReceiveBufferSize(1024);
            Frames.write(s.getOutputStream(), new Request.Run(List.of("cat"), env, tmp.toString(), 24, 80, false));
            Event e = (Event) Frames.read(s.getInputStream());
            if (!(e instanceof Event.Running)) throw new IllegalStateException("job " + i + ": " + e);
            FileDescriptor fd = s.getReceivedFileDescriptors()[0];
            controls.add(s);
            ins.add(new FileInputStream(fd));
            outs.add(new FileOutputStream(fd));
        }
        double[] ms = new double[jobs];
        int echoed = 0;
        byte[] buf = new byte[256];
        for (int i = 0; i < jobs; i++) {
            long t0 = System.nanoTime();
            outs.get(i).write('z');
            int n = ins.get(i).read(buf);
            if (n > 0 && buf[0] == 'z') echoed++;
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        long threads = Files.readAllLines(Path.of("/proc/" + d.pid() + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
        row(jobs + " attached jobs at parallelism 2: echoed", new double[] {echoed}, null, "jobs");
        row(jobs + " attached jobs: echo p99", new double[] {pct(ms, 99)}, null, "ms");
        row(jobs + " attached jobs: daemon threads", new double[] {threads}, null, "threads");
        for (AFUNIXSocket s : controls) s.close();
        killServer();
        d.waitFor(30, TimeUnit.SECONDS);
    }

    // ---------- 7. flood ----------

    private void flood() throws Exception {
        killServer();
        ensureDaemon();
        long daemonPid = daemonAndRunners().stream().filter(this::isDaemon).findFirst().orElseThrow();
        long before = status(daemonPid, "VmHWM:");
        String gb = QUICK ? "100M" : "1G";
        run(List.of(JOBS.toString(), "run", "-d", "sh", "-c", "head -c " + gb + " /dev/zero | tr '\\0' x"));
        waitFor(() -> listContains("Finished"), 600_000, 200);
        long after = status(daemonPid, "VmHWM:");
        row("detached " + gb + " writer: daemon peak RSS before", new double[] {before / 1024.0}, null, "MB");
        row("detached " + gb + " writer: daemon peak RSS after", new double[] {after / 1024.0}, null, "MB");
    }

    private boolean isDaemon(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).map(a -> String.join(" ", a).contains("Main daemon")).orElse(false);
    }

    private boolean listContains(String text) {
        try {
            return run(List.of(JOBS.toString(), "list")).contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    private static long status(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D", ""));
        }
        return 0;
    }

    // ---------- plumbing ----------

    private String classPath() throws IOException {
        return REPO.resolve("target/jobs.jar") + ":" + REPO.resolve("target/lib") + "/*";
    }

    private void ensureDaemon() throws Exception {
        run(List.of(JOBS.toString(), "run", "true"));
    }

    private void killServer() {
        try {
            run(List.of(JOBS.toString(), "kill-server"));
        } catch (Exception ignored) {
            // no daemon
        }
    }

    private PtyProcess pty(List<String> command) throws IOException {
        return new PtyProcessBuilder(command.toArray(String[]::new)).setEnvironment(env)
                .setDirectory(tmp.toString()).setInitialColumns(120).setInitialRows(40).start();
    }

    private String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static boolean has(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        System.out.println("(" + tool + " is not installed: its rows are left out)");
        return false;
    }

    interface Measure {
        double once() throws Exception;
    }

    private static double[] times(int runs, Measure m) throws Exception {
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) r[i] = m.once();
        return r;
    }

    private static void waitFor(BooleanSupplier c, long millis, long pollMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new IllegalStateException("timed out");
            Thread.sleep(pollMillis);
        }
    }

    private static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private void row(String name, double[] values, double[] baseline, String unit) {
        double med = pct(values, 50);
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        String ratio = baseline == null ? "" : String.format(Locale.ROOT, "%.2f", med / pct(baseline, 50));
        rows.add(new String[] {name, fmt(med) + " " + unit, values.length > 1 ? fmt(min) + ".." + fmt(max) : "", ratio});
        System.out.println("  " + name + ": " + fmt(med) + " " + unit);
    }

    private static String fmt(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3f", d);
    }

    private void print() {
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-48s | %-14s | %-18s | %-8s |%n", "figure", "median", "min..max", "ratio");
        System.out.println("|" + "-".repeat(50) + "|" + "-".repeat(16) + "|" + "-".repeat(20) + "|" + "-".repeat(10) + "|");
        for (String[] r : rows) System.out.printf(Locale.ROOT, "| %-48s | %-14s | %-18s | %-8s |%n", (Object[]) r);
    }
}
