package jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What /proc says about processes: memory, CPU ticks, threads, command lines. */
final class Procs {
    private Procs() {}

    /** Command line with NULs turned into spaces; empty when the process is gone. */
    static String cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    static String environ(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static List<Long> matching(Predicate<Long> test) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            if (test.test(h.pid())) pids.add(h.pid());
        });
        return pids;
    }

    /** kB of a field of smaps_rollup (Pss, Rss) or status (VmHWM, VmRSS, Threads); 0 if gone. */
    static long field(long pid, String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
        return 0;
    }

    static long pssKb(long pid) {
        return field(pid, "smaps_rollup", "Pss");
    }

    static long rssKb(long pid) {
        return field(pid, "smaps_rollup", "Rss");
    }

    static long threads(long pid) {
        return field(pid, "status", "Threads");
    }

    /** utime + stime of the whole process, in clock ticks. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resets VmHWM, so that the next reading is the peak from now on. */
    static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS of " + pid + ": " + e.getMessage());
        }
    }

    static void kill(List<Long> pids) {
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
