package jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Tunables with defaults from {@code config/jobs.properties} (packaged on the class path), which a
 * user may override in {@code $XDG_CONFIG_HOME/jobs/jobs.properties} (default ~/.config/jobs/).
 */
public record Settings(long backlogBytes, long killGraceMillis, long daemonStartMillis, int warmRunners,
                       String detachKey, long logBytes, long logTotalBytes, String notifyCommand,
                       AdoptionWaits adoption) {
    public static final Settings DEFAULTS = new Settings(1 << 20, 2000, 15000, 1, "^\\", 16L << 20, 1L << 30, "",
            AdoptionWaits.DEFAULTS);
    /** More would only cost memory: a burst of runs beyond the pool starts runners anyway. */
    static final int MAX_WARM_RUNNERS = 16;

    public Settings withWarmRunners(int n) {
        return new Settings(backlogBytes, killGraceMillis, daemonStartMillis, n, detachKey, logBytes, logTotalBytes,
                notifyCommand, adoption);
    }

    /** The same settings with the disk log's caps (0 bytes: no disk log). */
    public Settings withLog(long bytes, long totalBytes) {
        return new Settings(backlogBytes, killGraceMillis, daemonStartMillis, warmRunners, detachKey, bytes, totalBytes,
                notifyCommand, adoption);
    }

    public Settings withNotifyCommand(String command) {
        return new Settings(backlogBytes, killGraceMillis, daemonStartMillis, warmRunners, detachKey, logBytes,
                logTotalBytes, command, adoption);
    }

    public Settings withAdoption(AdoptionWaits waits) {
        return new Settings(backlogBytes, killGraceMillis, daemonStartMillis, warmRunners, detachKey, logBytes,
                logTotalBytes, notifyCommand, waits);
    }

    /**
     * The shipped jobs.properties: from the installation's config directory when the launcher
     * named it (jobs.home), else the copy in the jar. A resource is looked up on the whole class
     * path, which opens the jars: several milliseconds of every command that reads its settings.
     */
    private static InputStream shipped() throws IOException {
        String home = System.getProperty("jobs.home");
        if (home != null) {
            Path file = Path.of(home, "config", "jobs.properties");
            if (Files.isRegularFile(file)) return Files.newInputStream(file);
        }
        return Settings.class.getResourceAsStream("/jobs.properties");
    }

    public static Settings load(Map<String, String> env) {
        Properties props = new Properties();
        try (InputStream in = shipped()) {
            if (in != null) props.load(in);
        } catch (IOException ignored) {
            // the built-in defaults below still apply
        }
        Path user = userFile(env);
        if (user != null && Files.isRegularFile(user)) {
            try (Reader r = Files.newBufferedReader(user)) {
                props.load(r);
            } catch (IOException ignored) {
                // an unreadable user file must not stop the daemon; defaults apply
            }
        }
        return new Settings(
                number(props, "backlog.bytes", DEFAULTS.backlogBytes),
                number(props, "kill.grace.millis", DEFAULTS.killGraceMillis),
                number(props, "daemon.start.millis", DEFAULTS.daemonStartMillis),
                count(props, "warm.runners", DEFAULTS.warmRunners, MAX_WARM_RUNNERS),
                text(props, "detach.key", DEFAULTS.detachKey),
                size(props, "log.bytes", DEFAULTS.logBytes),
                size(props, "log.total.bytes", DEFAULTS.logTotalBytes),
                System.getProperty("jobs.notify.command", props.getProperty("notify.command", "")).trim(),
                new AdoptionWaits(
                        number(props, "adopt.settle.millis", AdoptionWaits.DEFAULTS.settleMillis()),
                        number(props, "adopt.client.wait.millis", AdoptionWaits.DEFAULTS.clientWaitMillis()),
                        number(props, "adopt.client.hold.millis", AdoptionWaits.DEFAULTS.clientHoldMillis())));
    }

    private static Path userFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "jobs", "jobs.properties");
        String home = env.get("HOME");
        return home == null ? null : Path.of(home, ".config", "jobs", "jobs.properties");
    }

    /** A count from 0 (off) to max; anything else means the fallback. */
    private static int count(Properties props, String key, int fallback, int max) {
        String v = System.getProperty("jobs." + key, props.getProperty(key));
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            return n >= 0 && n <= max ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Checked by its user, who can say what is wrong with it. */
    private static String text(Properties props, String key, String fallback) {
        String v = System.getProperty("jobs." + key, props.getProperty(key));
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    /** A size from 0 (off) up; anything else means the fallback. */
    private static long size(Properties props, String key, long fallback) {
        String v = System.getProperty("jobs." + key, props.getProperty(key));
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            return n >= 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long number(Properties props, String key, long fallback) {
        String v = System.getProperty("jobs." + key, props.getProperty(key));
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
