package jobs.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import jobs.posix.WinSize;
import jobs.protocol.Frames;
import jobs.protocol.Request;
import sun.misc.Signal;

/**
 * Keeps the job's terminal the size of the user's, from the request on. The SIGWINCH handler is
 * installed before the size for the request is taken: a resize after that is either seen by the
 * handler once the session is attached, or found by the one comparison made when it attaches.
 * No resize can fall between the two.
 *
 * <p>Where the user's terminal is surely one (/proc names it), its descriptor goes with the
 * request and the daemon measures it: the daemon has the downcall linked already, and the
 * client's first link (tens of milliseconds) then happens beside the request instead of before it.
 */
final class SizeWatch {
    /** What a request carries when the daemon is to measure the terminal that comes with it. */
    private static final WinSize ASK_THE_TERMINAL = new WinSize(0, 0);

    private final int terminal;
    private final WinSize requested;
    private volatile OutputStream control;
    private volatile boolean resizedBeforeAttached;

    private SizeWatch() {
        Signal.handle(new Signal("WINCH"), s -> sendIfAttached());
        terminal = Descriptors.surelyTerminal(0) ? 0 : Descriptors.surelyTerminal(1) ? 1 : -1;
        requested = terminal >= 0 ? ASK_THE_TERMINAL : Sizes.current();
    }

    /** Installs the handler, then takes the size the request will carry. */
    static SizeWatch start() {
        return new SizeWatch();
    }

    WinSize requested() {
        return requested;
    }

    /** The descriptor to send with the request, for the daemon to measure; null: none. */
    FileDescriptor terminal() {
        return terminal == 0 ? FileDescriptor.in : terminal == 1 ? FileDescriptor.out : null;
    }

    /**
     * The session is attached: resizes go to the daemon from now on, and one that came while
     * the request was on its way is sent now. A terminal the daemon measured itself was measured
     * after the handler was installed, so only a signal since then can have changed it; nothing
     * is sent otherwise (a write racing the job's end would cost the session its events).
     */
    void attached(OutputStream controlOut) {
        control = controlOut;
        boolean changed = requested == ASK_THE_TERMINAL ? resizedBeforeAttached : !Sizes.current().equals(requested);
        if (changed) sendIfAttached();
    }

    private void sendIfAttached() {
        OutputStream out = control;
        if (out == null) {
            resizedBeforeAttached = true;
            return;
        }
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
