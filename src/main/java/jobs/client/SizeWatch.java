package jobs.client;

import java.io.IOException;
import java.io.OutputStream;
import jobs.posix.WinSize;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import sun.misc.Signal;

/**
 * Keeps the job's terminal the size of the user's, from the request on. The SIGWINCH handler is
 * installed before the size for the request is read: a resize after that read is either seen by
 * the handler once the session is attached, or found by the one comparison made when it
 * attaches. No resize can fall between the two.
 */
final class SizeWatch {
    private final WinSize requested;
    private volatile OutputStream control;

    private SizeWatch() {
        Signal.handle(new Signal("WINCH"), s -> sendIfAttached());
        requested = Sizes.current();
    }

    /** Installs the handler, then reads the size the request will carry. */
    static SizeWatch start() {
        return new SizeWatch();
    }

    WinSize requested() {
        return requested;
    }

    /**
     * The session is attached: resizes go to the daemon from now on, and one that came while
     * the request was on its way is sent now.
     */
    void attached(OutputStream controlOut) {
        control = controlOut;
        if (!Sizes.current().equals(requested)) sendIfAttached();
    }

    private void sendIfAttached() {
        OutputStream out = control;
        if (out == null) return;
        WinSize size = Sizes.current();
        byte[] frame = Frames.encode(new Request.Resize(size.rows(), size.cols()));
        synchronized (out) {
            try {
                out.write(frame);
                out.flush();
            } catch (IOException e) {
                // the session is ending; the control reader reports it
            }
        }
    }
}
