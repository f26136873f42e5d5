package jobs.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.SampleMessages;
import org.slf4j.LoggerFactory;

/**
 * Loads the frame codec's classes (ours and gson's) on the daemon's main thread, before any
 * connection is served. A class first loaded by a virtual thread is loaded with the thread pinned
 * to its carrier (the JVM calls the class loader from native code); with two carriers, two such
 * threads waiting on the class-loading and jar-file locks while the holder of a lock they need
 * waited for a carrier deadlocked a daemon that had just adopted its jobs, in CI. Every
 * connection encodes and decodes frames, so these classes are the ones many threads race to load.
 */
final class CodecWarmUp {
    private CodecWarmUp() {}

    static void run() {
        try {
            for (Message m : SampleMessages.ALL) Frames.read(new ByteArrayInputStream(Frames.encode(m)));
        } catch (IOException | RuntimeException e) {
            // only a head start: the same classes load later, as before
            LoggerFactory.getLogger(CodecWarmUp.class).warn("codec warm-up failed: {}", e.toString());
        }
    }
}
