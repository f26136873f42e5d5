package jobs.runner;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import jobs.protocol.RunnerMessage;

/**
 * Output a restarting daemon left with the runner (RunnerMessage.Output) because no client had
 * seen it yet; it goes to the next daemon right after Adopt. Used by the link thread only.
 */
final class UnseenOutput {
    private final List<RunnerMessage.Output> frames = new ArrayList<>();
    private long bytes;

    void keep(RunnerMessage.Output out) {
        try {
            bytes += Base64.getDecoder().decode(out.base64()).length;
            frames.add(out);
        } catch (IllegalArgumentException | NullPointerException malformed) {
            // not from a daemon of ours: nothing to keep
        }
    }

    List<RunnerMessage.Output> frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }

    /** A daemon adopted the job with all of it. */
    void clear() {
        frames.clear();
        bytes = 0;
    }
}
