package jobs.client;

import jobs.posix.CancellableInput;
import jobs.posix.Terminal;

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

    private static void start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                // the command's own call fails the same way later, and reports it
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
