package jobs.job;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import jobs.posix.Fd;
import jobs.protocol.Event;

/**
 * A client attached to a job: its control connection and the daemon's end of the data socket.
 * Output and the closing event are written under one lock, so the client always receives every
 * byte before it learns that the job stopped or ended.
 */
final class Attachment {
    private final Connection control;
    private final Fd data;
    private final ReentrantLock writes = new ReentrantLock();
    private volatile boolean closed;

    Attachment(Connection control, Fd data) {
        this.control = control;
        this.data = data;
    }

    /** The daemon has let this client go (finished, detached or closed). */
    boolean isClosed() {
        return closed;
    }

    Connection control() {
        return control;
    }

    Fd data() {
        return data;
    }

    void lockWrites() {
        writes.lock();
    }

    void unlockWrites() {
        writes.unlock();
    }

    void writeOutput(byte[] b, int off, int len) throws IOException {
        writes.lock();
        try {
            if (closed) throw new IOException("client detached");
            data.writeFully(b, off, len);
        } finally {
            writes.unlock();
        }
    }

    /** Ends the attachment: EOF on the data socket, then the event, then both closed. */
    void finish(Event last) {
        writes.lock();
        try {
            if (closed) return;
            data.shutdownOutput();
            try {
                control.send(last);
            } catch (IOException ignored) {
                // the client is gone already; closing below is all that is left to do
            }
            closeLocked();
        } finally {
            writes.unlock();
        }
    }

    void close() {
        // no lock: a writer parked on a full data socket must be woken by the close itself
        closeLocked();
    }

    private void closeLocked() {
        closed = true;
        data.close();
        control.close();
    }
}
