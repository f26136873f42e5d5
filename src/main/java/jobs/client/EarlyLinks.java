package jobs.client;

import jobs.posix.CancellableInput;
import jobs.posix.Terminal;
import jobs.posix.WinSize;

/**
 * Links the downcalls a command will need on a thread of its own, while its request travels
 * to the daemon and back: the first link of a downcall costs a JVM some 20 ms and each new shape
 * a few more, which used to be paid one after the other before the request was even sent. A
 * thread that needs a class still being initialised here simply waits for it (class
 * initialisation is the JVM's own lock), so nothing has to join this thread.
 */
final class EarlyLinks {
    private EarlyLinks() {}

    /** For an attaching session in a terminal: raw mode, the size and the cancellable stdin reader. */
    static void forSession() {
        start("jobs link session", () -> {
            Terminal.size(0);
            CancellableInput.prepare();
        });
    }

    /** The width of the terminal on {@code fd}, measured beside the request; 0 if unknown. */
    static Width width(int fd) {
        Width w = new Width();
        w.thread = start("jobs link width", () -> w.cols = Terminal.size(fd).map(WinSize::cols).orElse(0));
        return w;
    }

    /** A width being measured. */
    static final class Width {
        private Thread thread;
        private volatile int cols;

        int await() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return cols;
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                // the command's own call fails the same way later, and reports it
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
