package jobs.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.job.Unattended;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The finish hook: the user's {@code notify.command}, run through {@code /bin/sh -c} with the
 * job's facts in JOB_* variables. Each run gets a platform thread of its own (waiting for a
 * process blocks in native code), so no job and no request ever waits for a hook. At most one
 * runs per job; what happens meanwhile is kept (the latest only) and run after it. A hook
 * still running after 10 s is killed; failures go to the daemon log with the hook's stderr.
 */
final class NotifyCommand implements Unattended.Listener {
    private static final Logger log = LoggerFactory.getLogger(NotifyCommand.class);
    static final long TIMEOUT_SECONDS = 10;
    private static final int STDERR_SHOWN = 500;

    private final String command;
    private final Path scratch;
    /** Per job with a hook running: the event waiting to run after it (or null). */
    private final Map<Integer, Unattended> running = new HashMap<>();

    NotifyCommand(String command, Path scratch) {
        this.command = command;
        this.scratch = scratch;
    }

    @Override
    public void happened(Unattended e) {
        if (command == null || command.isBlank()) return;
        synchronized (running) {
            if (running.containsKey(e.id())) {
                running.put(e.id(), e);
                return;
            }
            running.put(e.id(), null);
        }
        Thread.ofPlatform().daemon().name("notify-job-" + e.id()).start(() -> runAll(e));
    }

    private void runAll(Unattended first) {
        MDC.put("job", Integer.toString(first.id()));
        for (Unattended e = first; e != null; ) {
            run(e);
            synchronized (running) {
                e = running.get(first.id());
                if (e == null) running.remove(first.id());
                else running.put(first.id(), null);
            }
        }
    }

    private void run(Unattended e) {
        Path err = scratch.resolve("notify-" + e.id() + ".err");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("JOB_ID", Integer.toString(e.id()));
        env.put("JOB_NAME", e.name() == null ? "" : e.name());
        env.put("JOB_COMMAND", String.join(" ", e.command()));
        env.put("JOB_STATE", e.state());
        env.put("JOB_STATUS", e.status());
        env.put("JOB_SECONDS", Long.toString(e.seconds()));
        env.put("JOB_LOG", e.log() == null ? "" : e.log().toString());
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                log.warn("notify.command for job {} ({}) still ran after {} s: killed", e.id(), e.state(),
                        TIMEOUT_SECONDS);
            } else if (p.exitValue() != 0) {
                log.warn("notify.command for job {} ({}) failed with exit status {}: {}", e.id(), e.state(),
                        p.exitValue(), stderr(err));
            } else {
                log.info("notify.command ran for job {} ({} {})", e.id(), e.state(), e.status());
            }
        } catch (IOException x) {
            log.warn("notify.command for job {} cannot start: {}", e.id(), x.getMessage());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a stray scratch file in the runtime dir is harmless
            }
        }
    }

    private static String stderr(Path err) {
        try {
            String s = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (s.length() > STDERR_SHOWN) s = "..." + s.substring(s.length() - STDERR_SHOWN);
            return s.isEmpty() ? "(no output on stderr)" : s.replace('\n', ' ');
        } catch (IOException | RuntimeException unreadable) {
            return "(stderr unreadable)";
        }
    }
}
