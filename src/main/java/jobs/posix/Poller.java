package jobs.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets virtual threads wait for native descriptors without pinning a carrier: the waiting thread
 * parks, and one platform thread blocked in epoll_wait(2) unparks it when the descriptor is ready
 * (what the JDK does internally for its own sockets). Registrations are one-shot, so an idle
 * descriptor costs nothing and a spurious wake-up is harmless: callers retry their syscall.
 *
 * <p>A waiter names its {@link Interest}, not just the descriptor's number: a number is reused
 * as soon as it is closed, and a thread of a descriptor closed under it that went on to wait by
 * number would take the place of the new descriptor's waiter, which then never woke (keys typed
 * to a job stopped reaching it). An Interest, once unregistered, is gone for good.
 */
final class Poller {
    private static final int EPOLLIN = 0x001;
    private static final int EPOLLOUT = 0x004;
    private static final int EPOLLERR = 0x008;
    private static final int EPOLLHUP = 0x010;
    private static final int EPOLLRDHUP = 0x2000;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 0x80000;
    /** struct epoll_event is packed on x86-64: u32 events, u64 data. */
    private static final int EVENT_SIZE = 12;
    private static final int MAX_EVENTS = 64;

    // man 2 epoll_create1, epoll_ctl, epoll_wait
    private static final MethodHandle EPOLL_CREATE1 = Native.withErrno("epoll_create1",
            FunctionDescriptor.of(Native.INT, Native.INT));
    private static final MethodHandle EPOLL_CTL = Native.withErrno("epoll_ctl",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.PTR));
    private static final MethodHandle EPOLL_WAIT = Native.withErrno("epoll_wait",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.PTR, Native.INT, Native.INT));

    private static final Poller INSTANCE = start();

    private final int epfd;
    private final ConcurrentHashMap<Integer, Interest> interests = new ConcurrentHashMap<>();

    /** Who waits on one registered descriptor, per direction. Guarded by its own monitor. */
    static final class Interest {
        /** Unregistered: waits return at once, and the number may belong to another descriptor. */
        boolean gone;
        Thread reader;
        Thread writer;
        boolean readReady;
        boolean writeReady;
        /** A wake that came while no reader was parked: the next wait returns at once. */
        boolean wakePending;
        /**
         * The epoll_event and errno slot for re-arming, used under the monitor: arming happens
         * twice per chunk of output or keystroke, and must not allocate each time.
         */
        final MemorySegment event;
        final MemorySegment errno;

        Interest() {
            Arena arena = Arena.ofAuto();
            event = arena.allocate(EVENT_SIZE);
            errno = Native.errnoSlot(arena);
        }
    }

    private Poller(int epfd) {
        this.epfd = epfd;
    }

    static Poller get() {
        return INSTANCE;
    }

    private static Poller start() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.errnoSlot(arena);
            int epfd = (int) EPOLL_CREATE1.invokeExact(err, EPOLL_CLOEXEC);
            if (epfd < 0) throw new IllegalStateException(Native.error("epoll_create1", Native.errno(err)));
            Poller p = new Poller(epfd);
            Thread t = Thread.ofPlatform().daemon().name("epoll").unstarted(p::loop);
            t.start();
            return p;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    Interest register(int fd) throws IOException {
        Interest i = new Interest();
        interests.put(fd, i);
        try {
            ctl(EPOLL_CTL_ADD, fd, EPOLLONESHOT);
        } catch (IOException e) {
            interests.remove(fd, i);
            throw e;
        }
        return i;
    }

    /** Before the descriptor is closed: its waiters return, and later waits return at once. */
    void unregister(int fd, Interest i) {
        synchronized (i) {
            i.gone = true;
            wakeAll(i);
        }
        // only if the number is still this registration's (a borrowed socket may have been
        // closed by its library, and the number taken by a descriptor that is not ours to drop)
        if (!interests.remove(fd, i)) return;
        try {
            ctl(EPOLL_CTL_DEL, fd, 0);
        } catch (IOException ignored) {
            // already closed elsewhere: nothing is registered any more
        }
    }

    /**
     * Parks the caller until fd is readable (or writable), the timeout passes, or {@link #wake}.
     * A negative timeout waits for ever. Returns true when the poller saw it ready, false on a
     * timeout or wake (an interrupt is reported as InterruptedIOException).
     */
    boolean await(Interest i, int fd, boolean write, long timeoutMillis) throws IOException {
        synchronized (i) {
            if (i.gone) return false;
            if (!write && i.wakePending) {
                i.wakePending = false;
                return false;
            }
            if (write) {
                i.writer = Thread.currentThread();
                i.writeReady = false;
            } else {
                i.reader = Thread.currentThread();
                i.readReady = false;
            }
            arm(fd, i);
        }
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean ready = false;
        while (true) {
            synchronized (i) {
                ready = write ? i.writeReady : i.readReady;
                boolean woken = write ? i.writer == null : i.reader == null;
                if (ready || woken) break;
            }
            if (Thread.interrupted()) {
                synchronized (i) {
                    if (write) i.writer = null;
                    else i.reader = null;
                }
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (timeoutMillis < 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                LockSupport.parkNanos(this, left);
            }
        }
        synchronized (i) {
            if (write) i.writer = null;
            else i.reader = null;
        }
        return ready;
    }

    /** Makes a thread parked in {@link #await} on this registration return early. */
    void wake(Interest i) {
        synchronized (i) {
            if (i.reader == null) i.wakePending = true;
            wakeAll(i);
        }
    }

    private static void wakeAll(Interest i) {
        if (i.reader != null) {
            LockSupport.unpark(i.reader);
            i.reader = null;
        }
        if (i.writer != null) {
            LockSupport.unpark(i.writer);
            i.writer = null;
        }
    }

    /**
     * Asks only for directions still waiting: a waiter already made ready keeps its thread field
     * until it runs, and re-arming for it would report a writable socket again and again.
     */
    private void arm(int fd, Interest i) throws IOException {
        int events = EPOLLONESHOT | EPOLLRDHUP;
        if (i.reader != null && !i.readReady) events |= EPOLLIN;
        if (i.writer != null && !i.writeReady) events |= EPOLLOUT;
        ctl(EPOLL_CTL_MOD, fd, events, i.event, i.errno);
    }

    private void ctl(int op, int fd, int events) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            ctl(op, fd, events, arena.allocate(EVENT_SIZE), Native.errnoSlot(arena));
        }
    }

    private void ctl(int op, int fd, int events, MemorySegment ev, MemorySegment err) throws IOException {
        ev.set(Native.INT, 0, events);
        ev.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 4, fd);
        try {
            int rc = (int) EPOLL_CTL.invokeExact(err, epfd, op, fd, ev);
            if (rc < 0) throw Native.error("epoll_ctl", Native.errno(err));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void loop() {
        Arena arena = Arena.ofConfined();
        MemorySegment events = arena.allocate((long) EVENT_SIZE * MAX_EVENTS);
        MemorySegment err = Native.errnoSlot(arena);
        while (true) {
            int n;
            try {
                n = (int) EPOLL_WAIT.invokeExact(err, epfd, events, MAX_EVENTS, -1);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
            if (n < 0) continue; // EINTR
            for (int k = 0; k < n; k++) {
                int ev = events.get(Native.INT, (long) k * EVENT_SIZE);
                int fd = (int) events.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, (long) k * EVENT_SIZE + 4);
                try {
                    dispatch(fd, ev);
                } catch (RuntimeException | Error e) {
                    // this thread is the only waker of every parked reader and writer: if it
                    // ended, every wait in the process would last for ever
                    org.slf4j.LoggerFactory.getLogger(Poller.class).error("epoll dispatch of descriptor {}", fd, e);
                }
            }
        }
    }

    private void dispatch(int fd, int ev) {
        Interest i = interests.get(fd);
        if (i == null) return;
        boolean failed = (ev & (EPOLLERR | EPOLLHUP)) != 0;
        synchronized (i) {
            if (i.reader != null && (failed || (ev & (EPOLLIN | EPOLLRDHUP)) != 0)) {
                i.readReady = true;
                LockSupport.unpark(i.reader);
            }
            if (i.writer != null && (failed || (ev & EPOLLOUT) != 0)) {
                i.writeReady = true;
                LockSupport.unpark(i.writer);
            }
            boolean stillWanted = !i.gone
                    && ((i.reader != null && !i.readReady) || (i.writer != null && !i.writeReady));
            if (stillWanted) {
                try {
                    arm(fd, i);
                } catch (IOException ignored) {
                    // the descriptor was closed under us: its waiters are woken by unregister
                }
            }
        }
    }
}
