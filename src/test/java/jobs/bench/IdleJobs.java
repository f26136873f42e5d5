package jobs.bench;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;

/**
 * Figures 4, 5 and 5b: fifty idle detached jobs (and fifty of each peer's), their memory, their
 * CPU ticks, and the ticks of the same runners once their daemon is gone.
 */
final class IdleJobs {
    private final Lab lab;
    private final Table table;
    private final boolean quick;

    IdleJobs(Lab lab, Table table, boolean quick) {
        this.lab = lab;
        this.table = table;
        this.quick = quick;
    }

    private int runs(int full, int fast) {
        return quick ? fast : full;
    }

    void measure() throws Exception {
        int n = 50;
        lab.ensureDaemon();
        Map<String, String> jobEnv = lab.jobEnv();
        for (int i = 0; i < n; i++) {
            try (Wire w = Wire.connect(lab.socket())) {
                Event e = w.run(List.of("sleep", Lab.SLEEP), jobEnv, true);
                if (!(e instanceof Event.Background)) throw new IllegalStateException("detached sleep: " + e);
            }
        }
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        pids.put("jobs", lab.jobsProcesses());
        if (lab.has("dtach")) {
            for (int i = 0; i < n; i++) lab.quiet(List.of("dtach", "-n", lab.sock("dt"), "-E", "sleep", Lab.SLEEP));
            pids.put("dtach", Procs.matching(pid -> Procs.cmdline(pid).startsWith("dtach -n " + lab.dir())));
        }
        if (lab.has("abduco")) {
            for (int i = 0; i < n; i++) lab.quiet(List.of("abduco", "-n", lab.name("ab"), "sleep", Lab.SLEEP));
            pids.put("abduco", Procs.matching(pid -> Procs.cmdline(pid).startsWith("abduco")
                    && Procs.environ(pid).contains("ABDUCO_SOCKET_DIR=" + lab.dir())));
        }
        if (lab.has("tmux")) {
            String s = lab.sock("tm");
            lab.quiet(List.of("tmux", "-S", s, "-f", "/dev/null", "new-session", "-d", "sleep", Lab.SLEEP));
            for (int i = 1; i < n; i++) lab.quiet(List.of("tmux", "-S", s, "new-window", "-d", "sleep", Lab.SLEEP));
            pids.put("tmux", Procs.matching(pid -> Procs.cmdline(pid).startsWith("tmux -S " + s)));
        }
        // let runner JVMs finish starting before anything counts as idle
        Thread.sleep(5_000);
        pids.put("jobs", lab.jobsProcesses());
        try (Wire w = Wire.connect(lab.socket())) {
            if (w.send(new Request.ListJobs()) instanceof Event.JobList l) {
                System.out.println("  jobs: " + l.jobs().stream().filter(j -> j.state() == JobInfo.JobStateName.RUNNING).count() + " running");
            }
        }
        for (var e : pids.entrySet()) System.out.println("  " + e.getKey() + ": " + e.getValue().size() + " processes for " + n + " idle jobs");
        Map<String, List<Double>> pss = new LinkedHashMap<>();
        Map<String, List<Double>> rss = new LinkedHashMap<>();
        List<Double> daemonRss = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            daemonRss.add(Procs.rssKb(lab.daemonPid()) / 1024.0);
            for (var e : pids.entrySet()) {
                pss.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().stream().mapToLong(Procs::pssKb).sum() / 1024.0 / n);
                rss.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().stream().mapToLong(Procs::rssKb).sum() / 1024.0 / n);
            }
            Thread.sleep(500);
        }
        Map<String, List<Double>> ticks = new LinkedHashMap<>();
        for (int i = 0; i < runs(3, 1); i++) {
            Map<String, Long> before = new HashMap<>();
            for (var e : pids.entrySet()) before.put(e.getKey(), e.getValue().stream().mapToLong(Procs::ticks).sum());
            Thread.sleep(10_000);
            for (var e : pids.entrySet()) {
                long after = e.getValue().stream().mapToLong(Procs::ticks).sum();
                ticks.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((double) (after - before.get(e.getKey())));
            }
        }
        String base = lab.has("dtach") ? "dtach" : "jobs";
        table.bySubject("4 PSS per job, 50 idle jobs (MB)", pss, base,
                Verdict.atMost("≤ 8 MB (runner + its share of the daemon)", Table.median(pss.get("jobs")), 8));
        table.bySubject("4 RSS per job, 50 idle jobs (MB)", rss, base);
        table.addStated("4 the daemon's own RSS, 50 idle jobs (MB)", "jobs", daemonRss, null, "stated, no target");
        // idle means idle in every window, so the worst sample is judged, not the median
        table.bySubject("5 idle CPU, 50 jobs, 10 s (ticks)", ticks, base,
                Verdict.atMost("0 ticks in 10 s, every sample", Table.max(ticks.get("jobs")), 0));
        try {
            orphans(n);
        } finally {
            lab.killServer();
            lab.killPeers();
        }
    }

    /**
     * Kills the daemon of the idle jobs with SIGKILL and counts its runners' CPU ticks while they
     * wait for the next one. Runners start a daemon themselves when none answers, under the
     * runtime directory's start lock: the driver holds that lock for the whole measurement, as a
     * runner starting a daemon would, so the daemon stays gone. Then it lets them have a new
     * daemon, and checks that kill-server ends all of them and their jobs.
     */
    private void orphans(int n) throws Exception {
        long daemon = lab.daemonPid();
        List<Long> runners = lab.jobsProcesses().stream().filter(pid -> pid != daemon).toList();
        List<Double> ticks = new ArrayList<>();
        boolean daemonBack = false;
        List<Long> waiting;
        try (FileChannel ch = FileChannel.open(RuntimePaths.fromEnvironment(lab.env()).startLock(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            Procs.kill(List.of(daemon));
            Lab.awaitGone(List.of(daemon), 10);
            // the runners see the link close and settle into their wait; warm runners leave
            Thread.sleep(5_000);
            waiting = runners.stream().filter(Lab::alive).toList();
            System.out.println("  5b: " + waiting.size() + " runners wait for a daemon ("
                    + (runners.size() - waiting.size()) + " ended with it)");
            for (int i = 0; i < runs(3, 1); i++) {
                Map<Long, Long> before = new HashMap<>();
                for (long pid : waiting) before.put(pid, Procs.ticks(pid));
                Thread.sleep(10_000);
                long sum = 0;
                for (long pid : waiting) if (Lab.alive(pid)) sum += Procs.ticks(pid) - before.get(pid);
                ticks.add((double) sum);
                daemonBack |= !lab.daemonPids().isEmpty();
            }
        }
        String target = "0 ticks in 10 s, every sample";
        table.add("5b idle CPU, 50 jobs, no daemon, 10 s (ticks)", "jobs " + waiting.size() + "/" + n, ticks, null,
                daemonBack ? Verdict.notJudged(target, "a daemon came back during the window")
                        : Verdict.atMost(target, Table.max(ticks), 0));
        lab.ensureDaemon();
        lab.awaitRunning(n, 60);
        List<Long> sleeps = waiting.stream().flatMap(r -> ProcessHandle.of(r).stream().flatMap(ProcessHandle::descendants))
                .map(ProcessHandle::pid).filter(lab::ourSleep).toList();
        lab.killServer();
        List<Long> left = Lab.awaitGone(waiting, 15);
        if (!left.isEmpty()) System.out.println("  5b: kill-server left " + left.size() + " of " + waiting.size() + " runners: killed by pid");
        Procs.kill(left);
        left = Lab.awaitGone(sleeps, 5);
        if (!left.isEmpty()) System.out.println("  5b: kill-server left " + left.size() + " of " + sleeps.size() + " jobs' sleeps: killed by pid");
        Procs.kill(left);
    }
}
