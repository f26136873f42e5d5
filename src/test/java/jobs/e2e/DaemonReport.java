package jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jobs.testkit.SocketQueues;
import jobs.testkit.ThreadDump;

/**
 * What a failed e2e test prints about its daemons while they are still there: the end of the
 * daemon log of its runtime dir, the sockets holding bytes and every thread of each live daemon
 * (see {@link SocketQueues}, {@link ThreadDump}).
 */
final class DaemonReport {
    private static final int LINES = 80;

    private DaemonReport() {}

    static void print(String test, Path runtime) {
        Path log = runtime.resolve("job-security/daemon.log");
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println("== " + test + " failed; the last lines of " + log + " ==");
            lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("== " + test + " failed; no daemon log: " + e);
        }
        SocketQueues.print();
        processes(runtime);
        for (long daemon : Leftovers.daemons(runtime)) ThreadDump.print("daemon", daemon, runtime);
    }

    /**
     * Each process of the test with its state, group, session and its terminal's foreground group
     * (/proc/PID/stat), and the modes of a job's terminal: a key that reached a job's terminal but
     * stopped nothing shows as a job out of the foreground, or a terminal without isig.
     */
    private static void processes(Path runtime) {
        System.out.println("== tasks of the machine in uninterruptible sleep ==");
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'D') {
                    System.out.println(stat.substring(0, stat.lastIndexOf(')') + 1));
                    kernelStack(p.pid());
                }
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        });
        System.out.println("== processes: pid state ppid pgrp session tty tpgid; command ==");
        for (ProcessHandle p : Leftovers.find(runtime)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String cmd = jobs.testkit.Proc.commandLine(p.pid());
                System.out.println(p.pid() + " " + String.join(" ", List.of(f).subList(0, 6)) + "; "
                        + (cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd));
                if (cmd.startsWith("sh -c") || cmd.startsWith("cat")) modes(p.pid());
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
    }

    /** Where in the kernel a process in uninterruptible sleep waits (root may read it). */
    private static void kernelStack(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                System.out.println("   task " + t.getFileName() + " wchan " + Files.readString(t.resolve("wchan")));
                try {
                    Files.readAllLines(t.resolve("stack")).forEach(l -> System.out.println("     " + l));
                } catch (IOException notReadable) {
                    // not root, or no stack support
                }
            }
        } catch (IOException | RuntimeException gone) {
            // ended meanwhile
        }
    }

    private static void modes(long pid) {
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty -a < /proc/" + pid + "/fd/0").redirectErrorStream(true).start();
            stty.getOutputStream().close();
            System.out.println("   " + new String(stty.getInputStream().readAllBytes()).replace("\n", "\n   ").strip());
        } catch (IOException e) {
            System.out.println("   no modes: " + e);
        }
    }
}
