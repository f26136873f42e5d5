package jobs.history;

import java.io.IOException;
import jobs.config.Settings;
import jobs.config.StatePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the daemon's store of output logs; a directory that cannot be used costs the jobs nothing. */
public final class LogStores {
    private static final Logger log = LoggerFactory.getLogger(LogStores.class);

    private LogStores() {}

    public static LogStore open(StatePaths state, Settings settings) {
        if (settings.logBytes() <= 0 || state == null) return LogStore.off();
        try {
            state.ensurePrivate();
            return LogStore.open(state.dir(), settings.logBytes(), settings.logTotalBytes(), null);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            log.error("no output history will be kept: {}", why);
            return LogStore.open(state.dir(), settings.logBytes(), settings.logTotalBytes(),
                    "no output history is kept: " + why);
        }
    }
}
