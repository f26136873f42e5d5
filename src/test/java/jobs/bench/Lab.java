package jobs.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;

/**
 * Where a run of the benchmark lives: its private runtime directory and environment, the daemon
 * started there the way users start it, the peers installed beside it, and the end of every
 * process the run started.
 */
final class Lab {
    /**
     * A number no one else sleeps for: it finds our sleeps. It differs per run, because benchmarks
     * running side by side on one machine would otherwise kill each other's idle jobs.
     */
    static final String SLEEP = Long.toString(86_000 + ProcessHandle.current().pid() % 399);

    private final Path repo;
    private final Path dir;
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final Map<String, Boolean> peers = new LinkedHashMap<>();
    private int seq;

    Lab(Path repo, Path dir) {
        this.repo = repo;
        this.dir = dir;
        env.put("XDG_RUNTIME_DIR", dir.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        // the jobs' output logs go here, not to the real ~/.local/state, and leave with dir
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        env.put("ABDUCO_SOCKET_DIR", dir.toString());
        env.put("TERM", "xterm");
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.remove("TMUX");
        for (String p : List.of("dtach", "abduco", "tmux", "script")) peers.put(p, onPath(p));
    }

    Path dir() {
        return dir;
    }

    /** The environment of everything the run starts. */
    Map<String, String> env() {
        return env;
    }

    boolean has(String peer) {
        return peers.get(peer);
    }

    List<String> missingPeers() {
        return peers.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    /** A name not used before in this run (abduco sessions, sockets). */
    String name(String prefix) {
        return prefix + seq++;
    }

    List<String> jobs(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("jobs").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    String sock(String prefix) {
        return dir.resolve(name(prefix)).toString();
    }

    Path socket() {
        return dir.resolve("job-security").resolve("sock");
    }

    /** BENCH_DIR marks this run's jobs, as XDG_RUNTIME_DIR marks its peers' processes. */
    Map<String, String> jobEnv() {
        return Map.of("PATH", env.get("PATH"), "HOME", env.getOrDefault("HOME", "/"), "TERM", "xterm", "BENCH_DIR", dir.toString());
    }

    /** This run's sleeps, not another run's that drew the same number. */
    boolean ourSleep(long pid) {
        if (!Procs.cmdline(pid).equals("sleep " + SLEEP)) return false;
        String environ = Procs.environ(pid);
        return environ.contains("BENCH_DIR=" + dir + "\0") || environ.contains("XDG_RUNTIME_DIR=" + dir + "\0");
    }

    int quiet(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not end");
        }
        return p.exitValue();
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    /** A daemon started the way users start it: by the first `jobs run`. */
    void ensureDaemon() throws IOException, InterruptedException {
        if (!daemonPids().isEmpty()) return;
        if (quiet(jobs("run", "true")) != 0) throw new IllegalStateException("jobs run true failed");
        daemonPid();
    }

    List<Long> daemonPids() {
        return Procs.matching(pid -> Procs.cmdline(pid).contains("jobs.cli.Main daemon")
                && Procs.environ(pid).contains("XDG_RUNTIME_DIR=" + dir + "\0"));
    }

    long daemonPid() {
        List<Long> d = daemonPids();
        if (d.size() != 1) throw new IllegalStateException("expected one daemon, found " + d);
        return d.get(0);
    }

    /** The daemon and every runner JVM below it (a pool of idle runners counts too). */
    List<Long> jobsProcesses() {
        long daemon = daemonPid();
        List<Long> pids = new ArrayList<>(List.of(daemon));
        ProcessHandle.of(daemon).ifPresent(h -> h.descendants()
                .filter(c -> Procs.cmdline(c.pid()).contains("__runner")).forEach(c -> pids.add(c.pid())));
        return pids;
    }

    void killServer() throws IOException, InterruptedException {
        if (daemonPids().isEmpty()) return;
        quiet(jobs("kill-server"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!daemonPids().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        Procs.kill(daemonPids());
    }

    void killPeers() {
        Procs.kill(Procs.matching(pid -> {
            String c = Procs.cmdline(pid);
            return c.startsWith("dtach ") && c.contains(dir.toString())
                    || c.startsWith("tmux ") && c.contains(dir.toString())
                    || c.startsWith("abduco") && Procs.environ(pid).contains("ABDUCO_SOCKET_DIR=" + dir);
        }));
        Procs.kill(Procs.matching(this::ourSleep));
    }

    void cleanup() {
        try {
            killServer();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.out.println("  cleanup: " + e.getMessage());
        }
        killPeers();
        // runners whose daemon died (5b cut short): no longer our descendants, but named by our socket
        String socket = socket().toString();
        Procs.kill(Procs.matching(pid -> {
            String c = Procs.cmdline(pid);
            return c.contains(" __runner ") && c.contains(" " + socket);
        }));
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.out.println("  cleanup: " + e.getMessage());
        }
    }

    /** Waits until the daemon lists n running jobs (it adopts them from their runners). */
    void awaitRunning(int n, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long running = 0;
        while (System.nanoTime() < deadline) {
            try (Wire w = Wire.connect(socket())) {
                if (w.send(new Request.ListJobs()) instanceof Event.JobList l) {
                    running = l.jobs().stream().filter(j -> j.state() == JobInfo.JobStateName.RUNNING).count();
                    if (running >= n) return;
                }
            } catch (IOException notYet) {
                // the new daemon is still starting
            }
            Thread.sleep(200);
        }
        System.out.println("  the daemon has " + running + " of " + n + " jobs after " + seconds + " s");
    }

    /** Waits up to the timeout for the processes to end; returns those still alive. */
    static List<Long> awaitGone(List<Long> pids, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (pids.stream().anyMatch(Lab::alive) && System.nanoTime() < deadline) Thread.sleep(50);
        return pids.stream().filter(Lab::alive).toList();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    boolean finished(int id) throws IOException {
        try (Wire w = Wire.connect(socket())) {
            Event e = w.send(new Request.ListJobs());
            if (!(e instanceof Event.JobList l)) throw new IllegalStateException("list: " + e);
            return l.jobs().stream().anyMatch(j -> j.id() == id && j.state() == JobInfo.JobStateName.FINISHED);
        }
    }
}
