package jobs.client;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jobs.posix.CancellableInput;
import jobs.posix.RawMode;
import jobs.posix.Terminal;
import jobs.protocol.Event;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * The user's terminal attached to a job. Three flows, each a blocking loop on its own platform
 * thread: stdin to the data socket, the data socket to stdout, and (on the calling thread) the
 * daemon's control events. The daemon finishes writing and shuts down its side of the data socket
 * before it sends Stopped or Finished, so the output is drained to EOF before the terminal is
 * restored and the status line printed: no byte of the job is lost or printed after the prompt.
 */
final class Attachment {
    private static final byte VEOF = 0x04;
    /** How long the drain may go without a single byte before the daemon is assumed broken. */
    private static final long DRAIN_STALL_MILLIS = 5000;

    private final AFUNIXSocket control;
    private final OutputStream controlOut;
    private final FileInputStream dataIn;
    private final FileOutputStream dataOut;
    private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
    private final CountDownLatch outputDone = new CountDownLatch(1);
    /** Counted down as soon as the daemon says the job stopped or ended. */
    private final CountDownLatch sessionOver = new CountDownLatch(1);
    /**
     * After a key that may stop or end the job (Ctrl-Z, Ctrl-C, Ctrl-\), input is held back this
     * long: what the user types next belongs to their shell if the job did stop, so it must stay
     * unread in the terminal. If the job ignored the key, the held input follows a little late.
     */
    private static final long HOLD_AFTER_SIGNAL_KEY_MILLIS = 500;
    private byte[] heldInput;
    private volatile long lastOutputNanos = System.nanoTime();
    private volatile int lastOutputByte = '\n';
    private volatile boolean stdoutBroken;
    private RawMode raw;
    private CancellableInput stdin;
    private Thread input;
    /** Once is enough: a second wait for an input thread stuck in a write would only delay the exit. */
    private boolean inputStopped;

    private final SizeWatch sizes;
    private final DoubleTap detachKey;
    /** The user pressed the detach key: the daemon's closing the connection is the expected end. */
    private volatile boolean detaching;
    private Event.Running session;

    Attachment(AFUNIXSocket control, FileDescriptor data, SizeWatch sizes, int detachKey) throws IOException {
        this.control = control;
        this.sizes = sizes;
        this.detachKey = detachKey == DetachKey.NONE ? null : new DoubleTap(detachKey, () -> detach(new byte[0]));
        this.controlOut = control.getOutputStream();
        this.dataIn = new FileInputStream(data);
        this.dataOut = new FileOutputStream(data);
    }

    /** Runs the session to its end and returns the exit code, or throws for the user. */
    int run(Event.Running running) throws IOException {
        session = running;
        boolean tty = !Descriptors.surelyNoTerminal(0) && Terminal.isatty(0);
        try {
            if (tty) {
                raw = Terminal.enterRaw(0);
                TerminalGuard.set(raw);
            }
            if (running.droppedBytes() > 0) {
                System.err.print("[jobs: " + running.droppedBytes() + " bytes of earlier output were dropped]"
                        + (raw != null ? "\r\n" : "\n"));
                System.err.flush();
            }
            start("job-" + running.id() + " output", this::pumpOutput);
            stdin = CancellableInput.of(0);
            input = start("job-" + running.id() + " input", () -> pumpInput(!tty));
            sizes.attached(controlOut);
            return events(control.getInputStream());
        } finally {
            stopInput();
            restore();
        }
    }

    /**
     * Once the job stopped or ended, what the user types is for their shell: the input thread
     * must stop reading. It must also have left poll(2) before the JVM exits, which otherwise
     * waits 300 ms for a thread in a native call.
     */
    private void stopInput() {
        if (stdin == null || inputStopped) return;
        inputStopped = true;
        stdin.cancel();
        try {
            input.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!input.isAlive()) stdin.close();
    }

    private int events(InputStream in) {
        while (true) {
            Event e;
            try {
                e = Replies.read(in);
            } catch (JobsException lost) {
                if (stdoutBroken) return 128 + 13; // as a shell pipeline member killed by SIGPIPE
                if (detaching) return detached();
                throw lost;
            }
            // if-chain rather than a pattern switch, as in Client.answer
            if (e instanceof Event.Stopped s) {
                sessionOver.countDown();
                stopInput();
                drain();
                giveBackHeldInput();
                restore();
                startLine();
                System.err.println(Replies.stoppedLine(s));
                return 0;
            }
            if (e instanceof Event.Finished f) {
                sessionOver.countDown();
                stopInput();
                drain();
                giveBackHeldInput();
                restore();
                if (f.signal() != null) startLine();
                return Replies.finished(f);
            }
            if (e instanceof Event.TakenOver t) {
                sessionOver.countDown();
                stopInput();
                drain();
                giveBackHeldInput();
                restore();
                startLine();
                System.err.println("[" + t.id() + "] Taken over by another terminal");
                return 0;
            }
            if (e instanceof Event.Error err) throw Replies.error(err);
            // nothing else is meant for an attached client
        }
    }

    /** The daemon let the job go on without us: the terminal goes back to the shell. */
    private int detached() {
        sessionOver.countDown();
        stopInput();
        drain();
        giveBackHeldInput();
        restore();
        startLine();
        System.err.println("[" + session.id() + "] Detached  " + String.join(" ", session.command()));
        return 0;
    }

    /**
     * Asks the daemon to let the job run on unattended: the end of the control connection means
     * exactly that to it. It then closes the data socket, so the output still on its way drains.
     */
    private void detach(byte[] forShell) {
        synchronized (this) {
            detaching = true;
            heldInput = heldInput == null ? forShell : concat(heldInput, forShell);
        }
        // not shutdownOutput: junixsocket refuses it ("not connected") on this socket. The close
        // also ends the control reader's wait, which then finds detaching set.
        closeQuietly(control);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A status line must not be glued to a job's last, unfinished line (a "^C" echo, a prompt). */
    private void startLine() {
        if (raw != null && lastOutputByte != '\n') System.err.print("\n");
    }

    private void restore() {
        if (raw != null) raw.restore();
    }

    /** Waits for the data socket's EOF, as long as bytes keep coming. */
    private void drain() {
        try {
            while (!outputDone.await(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - lastOutputNanos > TimeUnit.MILLISECONDS.toNanos(DRAIN_STALL_MILLIS)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Channels and a direct buffer: the bytes go from the socket to the terminal without being
     * copied through the Java heap (FileInputStream mallocs and copies for any read over 8 KiB).
     */
    private void pumpOutput() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        FileChannel in = dataIn.getChannel();
        FileChannel out = stdout.getChannel();
        try {
            int n;
            while ((n = in.read(buf.clear())) > 0) {
                lastOutputNanos = System.nanoTime();
                if (stdoutBroken) continue;
                try {
                    buf.flip();
                    while (buf.hasRemaining()) out.write(buf);
                    lastOutputByte = buf.get(n - 1);
                } catch (IOException e) {
                    stdoutBroken = true;
                    closeQuietly(control);
                }
            }
        } catch (IOException e) {
            // ECONNRESET: the daemon is gone; the control connection says what happened
        } finally {
            outputDone.countDown();
        }
    }

    /**
     * Keystrokes to the job. Without a terminal, end of input becomes VEOF for the job's terminal,
     * which ends a line-reading job ({@code echo hi | jobs run cat}); a partial line needs two.
     */
    private void pumpInput(boolean sendEof) {
        byte[] buf = new byte[8192];
        int last = '\n';
        try {
            int n;
            while ((n = stdin.read(buf, 0, buf.length)) > 0) {
                last = buf[n - 1];
                if (detachKey != null && !sendEof) {
                    DoubleTap.Filtered f = detachKey.filter(buf, n);
                    if (f.forward() > 0 && !forward(buf, f.forward(), false)) return;
                    if (f.detach()) {
                        detach(f.rest());
                        return;
                    }
                    continue;
                }
                if (!forward(buf, n, sendEof)) return;
            }
            if (sendEof && sessionOver.getCount() > 0) {
                dataOut.write(last == '\n' ? new byte[] {VEOF} : new byte[] {VEOF, VEOF});
            }
        } catch (IOException e) {
            // the job or the terminal went away; the control connection decides what happens next
        }
    }

    /** Sends n bytes; returns false when the session ended while a signal key was pending. */
    private boolean forward(byte[] buf, int n, boolean piped) throws IOException {
        int from = 0;
        for (int i = 0; i < n && !piped; i++) {
            if (buf[i] != 0x1a && buf[i] != 0x03 && buf[i] != 0x1c) continue;
            dataOut.write(buf, from, i + 1 - from);
            from = i + 1;
            synchronized (this) {
                heldInput = java.util.Arrays.copyOfRange(buf, from, n);
            }
            try {
                if (sessionOver.await(HOLD_AFTER_SIGNAL_KEY_MILLIS, TimeUnit.MILLISECONDS)) return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            synchronized (this) {
                if (heldInput == null) return false;
                heldInput = null;
            }
        }
        dataOut.write(buf, from, n - from);
        return true;
    }

    /**
     * Keys typed after the one that stopped or ended the job were meant for the shell: put them
     * back in the terminal's input queue while it is still raw, so they are not echoed twice.
     */
    private void giveBackHeldInput() {
        byte[] held;
        synchronized (this) {
            held = heldInput;
            heldInput = null;
        }
        if (held != null && held.length > 0 && raw != null) raw.restoreAndType(held);
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(AFUNIXSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

}
