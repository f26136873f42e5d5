package jobs.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jobs.config.RuntimePaths;
import jobs.job.Unattended;
import jobs.posix.Signals;
import jobs.protocol.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bash-style notices ({@code [2]  Done  make}) for the shell that started a job, when the job
 * stops or ends with no client attached. A shell set up by {@code jobs init} exports
 * {@code JOBS_SHELL_PID}; the job inherits it with the rest of the environment of its
 * {@code jobs run}. Each notice is one file in {@code RUNTIME/notices/PID/}, made by rename so
 * the shell never reads half of one, and a missing directory arrives whole with its first
 * notice; the shell's prompt hook only tests whether that directory exists (a builtin, no
 * process) and prints and removes what it finds.
 */
final class ShellNotices implements Unattended.Listener {
    static final String SHELL_PID = "JOBS_SHELL_PID";
    private static final Logger log = LoggerFactory.getLogger(ShellNotices.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;

    ShellNotices(RuntimePaths paths) {
        this.root = paths.dir().resolve("notices");
    }

    @Override
    public void happened(Unattended e) {
        post(e, e.end() == null ? "Stopped" + stopReason(e.signal()) : status(e.end()));
    }

    /** As bash words it; a signal keeps its name, which bash would translate. */
    static String status(Event.Finished f) {
        if (f.cancelled() != null) return "Cancelled (" + f.cancelled() + ")";
        if (f.lost() != null) return "Lost (" + f.lost() + ")";
        if (f.signal() != null) return "Killed (" + Signals.name(f.signal()) + ")";
        if (f.exitCode() == null || f.exitCode() == 0) return "Done";
        return "Exit " + f.exitCode();
    }

    private static String stopReason(Integer signal) {
        if (signal == null) return "";
        return switch (signal) {
            case Signals.SIGTTIN -> " (tty input)";
            case Signals.SIGTTOU -> " (tty output)";
            case Signals.SIGSTOP -> " (signal)";
            default -> "";
        };
    }

    static String line(int id, String status, List<String> command) {
        return "[" + id + "]  " + status + "  " + String.join(" ", command) + "\n";
    }

    private void post(Unattended job, String status) {
        String pid = job.env() == null ? null : job.env().get(SHELL_PID);
        // only a live shell's own number: the value is a path element
        if (pid == null || !pid.matches("[1-9][0-9]{0,9}") || !Files.isDirectory(Path.of("/proc", pid))) return;
        byte[] text = line(job.id(), status, job.command()).getBytes(StandardCharsets.UTF_8);
        String name = String.format("%019d-%06d", System.currentTimeMillis(), SEQUENCE.incrementAndGet() % 1_000_000);
        Path dir = root.resolve(pid);
        // staged beside the shell's directory: the hook takes that directory for "a notice is
        // waiting", so it must never be seen empty or holding half a notice
        Path staged = root.resolve("." + pid + "-" + name);
        try {
            Files.createDirectories(root);
            Files.createDirectory(staged);
            try {
                Files.write(staged.resolve(name), text);
                deliver(staged, name, dir);
            } finally {
                deleteIfThere(staged.resolve(name));
                deleteIfThere(staged);
            }
        } catch (IOException e) {
            log.warn("cannot leave a notice for shell {}: {}", pid, e.toString());
        }
    }

    /**
     * Each step is one rename, so the shell sees all of a notice or nothing. The shell may empty
     * and remove its directory between any two steps; that only sends us round again.
     */
    private static void deliver(Path staged, String name, Path dir) throws IOException {
        FileSystemException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                // no directory (or an empty one, which rename replaces): ours becomes it
                Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileSystemException e) {
                last = e;
            }
            try {
                // other notices are waiting: ours joins them
                Files.move(staged.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileSystemException e) {
                last = e;
            }
        }
        throw last;
    }

    private static void deleteIfThere(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", p, e.toString());
        }
    }
}
