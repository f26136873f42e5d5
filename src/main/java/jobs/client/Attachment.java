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

    /** Replaced when the daemon died and a new one adopted the job (see reattach); under swapLock. */
    private volatile AFUNIXSocket control;
    private volatile OutputStream controlOut;
    private volatile FileInputStream dataIn;
    private volatile FileOutputStream dataOut;
    private volatile CountDownLatch outputDone = new CountDownLatch(1);
    private final Object swapLock = new Object();
    private boolean reattaching; // guarded by swapLock: keys wait until the job is back
    private boolean gaveUp;      // guarded by swapLock
    private final Reattach reattach;
    private int jobId;
    private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
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

    /** With a reattach, the session survives its daemon's death (see {@link Reattach}). */
    Attachment(AFUNIXSocket control, FileDescriptor data, SizeWatch sizes, int detachKey, Reattach reattach)
            throws IOException {
        this.control = control;
        this.sizes = sizes;
        this.detachKey = detachKey == DetachKey.NONE ? null : new DoubleTap(detachKey, () -> detach(new byte[0]));
        this.controlOut = control.getOutputStream();
        this.dataIn = new FileInputStream(data);
        this.dataOut = new FileOutputStream(data);
        this.reattach = reattach;
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
            jobId = running.id();
            FileInputStream firstData = dataIn;
            CountDownLatch firstDone = outputDone;
            start("job-" + running.id() + " output", () -> pumpOutput(firstData, firstDone));
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
        Event next = null;
        while (true) {
            Event e = next;
            next = null;
            if (e == null) {
                try {
                    e = Replies.read(in);
                } catch (JobsException lost) {
                    if (stdoutBroken) return 128 + 13; // as a shell pipeline member killed by SIGPIPE
                    if (detaching) return detached();
                    Reattach.Reattached back = reattach();
                    if (back == null) throw lost;
                    try {
                        in = control.getInputStream();
                    } catch (IOException broken) {
                        throw lost;
                    }
                    next = back.first();
                    if (!(next instanceof Event.Running)) resumeInput(); // no data socket: writes fail and end
                    continue;
                }
            }
            if (e instanceof Event.Running) {
                resumeInput(); // a reattach's answer: the job is back
                continue;
            }
            // if-chain rather than a pattern switch, as in Client.answer
            if (e instanceof Event.Stopped s) {
                endSession();
                startLine();
                System.err.println(Replies.stoppedLine(s));
                return 0;
            }
            if (e instanceof Event.Finished f) {
                endSession();
                if (f.signal() != null) startLine();
                return Replies.finished(f);
            }
            if (e instanceof Event.TakenOver t) {
                endSession();
                startLine();
                System.err.println("[" + t.id() + "] Taken over by another terminal");
                return 0;
            }
            if (e instanceof Event.Error err) throw Replies.error(err);
            // nothing else is meant for an attached client
        }
    }

    /**
     * The session is over (stopped, ended, taken over, detached): no more keys for the job, its
     * output drained to EOF, keys meant for the shell given back, the terminal restored.
     */
    private void endSession() {
        sessionOver.countDown();
        stopInput();
        drain();
        giveBackHeldInput();
        restore();
    }

    /** The daemon let the job go on without us: the terminal goes back to the shell. */
    private int detached() {
        endSession();
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

    /**
     * The daemon is gone (crash, kill -9, restart-server): the job is not. Keys wait (the
     * terminal stays raw and keeps them), the output of the old connection is drained, and the
     * job is continued through the next daemon, which replays what the job wrote meanwhile.
     * Says so in one line only if that takes more than a second. Null: no way back.
     */
    private Reattach.Reattached reattach() {
        if (reattach == null || sessionOver.getCount() == 0) return null;
        synchronized (swapLock) {
            reattaching = true;
        }
        try {
            outputDone.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(control);
        closeData();
        Thread notice = start("reattach notice", this::noticeIfSlow);
        Reattach.Reattached back = reattach.reattach(jobId, Sizes.current());
        notice.interrupt();
        synchronized (swapLock) {
            if (back == null) {
                gaveUp = true;
                swapLock.notifyAll();
                return null;
            }
            control = back.socket();
            try {
                controlOut = back.socket().getOutputStream();
                sizes.attached(controlOut);
                if (back.first() instanceof Event.Running) {
                    FileDescriptor[] fds = back.socket().getReceivedFileDescriptors();
                    if (fds == null || fds.length == 0) throw new IOException("no data socket");
                    FileInputStream in = new FileInputStream(fds[0]);
                    CountDownLatch done = new CountDownLatch(1);
                    dataIn = in;
                    dataOut = new FileOutputStream(fds[0]);
                    outputDone = done;
                    start("job-" + jobId + " output", () -> pumpOutput(in, done));
                }
            } catch (IOException e) {
                gaveUp = true;
                swapLock.notifyAll();
                return null;
            }
        }
        return back;
    }

    /** Keys held during a reattach go on to the job. */
    private void resumeInput() {
        synchronized (swapLock) {
            reattaching = false;
            swapLock.notifyAll();
        }
    }

    private void noticeIfSlow() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException done) {
            return;
        }
        System.err.print("[jobs: the daemon went away; reattaching to job " + jobId + "...]" + (raw != null ? "\r\n" : "\n"));
        System.err.flush();
    }

    private void closeData() {
        try {
            dataIn.close();
            dataOut.close();
        } catch (IOException ignored) {
            // the daemon is gone already
        }
    }

    /**
     * To the job, through whichever daemon has it now. A write that fails because the daemon
     * died waits for the reattach and goes to the new one.
     */
    private void write(byte[] b, int off, int len) throws IOException {
        while (true) {
            FileOutputStream out;
            synchronized (swapLock) {
                while (reattaching && !gaveUp) {
                    try {
                        swapLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                if (gaveUp) throw new IOException("no daemon");
                out = dataOut;
            }
            try {
                out.write(b, off, len);
                return;
            } catch (IOException e) {
                if (reattach == null || sessionOver.getCount() == 0) throw e;
                awaitSwap(out);
            }
        }
    }

    /** Waits until the events thread has replaced the data socket that failed, or gave up. */
    private void awaitSwap(FileOutputStream failed) throws IOException {
        synchronized (swapLock) {
            while (dataOut == failed && !gaveUp && sessionOver.getCount() > 0) {
                try {
                    swapLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            if (gaveUp || sessionOver.getCount() == 0) throw new IOException("session over");
        }
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
    private void pumpOutput(FileInputStream dataIn, CountDownLatch outputDone) {
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
                byte[] eof = last == '\n' ? new byte[] {VEOF} : new byte[] {VEOF, VEOF};
                write(eof, 0, eof.length);
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
            write(buf, from, i + 1 - from);
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
        write(buf, from, n - from);
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
