package jobs.runner;

import java.io.IOException;
import java.nio.file.Path;
import jobs.protocol.Message;
import jobs.protocol.RunnerMessage;

/**
 * The runner's link thread (a platform thread): obeys the daemon until it closes the
 * connection, then, for a job that can outlive it, finds the next daemon and obeys that one.
 * Everything here but the slot is the link thread's alone.
 */
final class DaemonOrders implements Runnable {
    private final StartedJob job;
    private final JobGroup group;
    private final DaemonSlot slot;
    private final HangUp hangUp;
    private final DaemonLink first;
    private final Path socket;
    private final UnseenOutput unseen = new UnseenOutput();
    /** Whether a client is attached, as the daemon last said (RunnerMessage.Attached); for Adopt. */
    private boolean attached;
    /** The daemon said it hands over (RunnerMessage.HandingOver): its successor is someone else's to start. */
    private boolean handedOver;

    DaemonOrders(StartedJob job, JobGroup group, DaemonSlot slot, HangUp hangUp, DaemonLink first, Path socket) {
        this.job = job;
        this.group = group;
        this.slot = slot;
        this.hangUp = hangUp;
        this.first = first;
        this.socket = socket;
    }

    @Override
    public void run() {
        DaemonLink l = first;
        while (true) {
            try {
                for (Message m = l.read(); m != null; m = l.read()) {
                    if (m instanceof RunnerMessage.Resume) group.resume();
                    else if (m instanceof RunnerMessage.Goodbye) slot.release();
                    else if (m instanceof RunnerMessage.Output out) unseen.keep(out);
                    else if (m instanceof RunnerMessage.Attached a) attached = a.attached();
                    else if (m instanceof RunnerMessage.HandingOver) handedOver = true;
                }
            } catch (IOException | RuntimeException e) {
                // a broken link means the same as a closed one: the daemon is gone
            }
            if (slot.isReleased()) return; // the main thread is leaving
            if (!job.adoptable()) {
                hangUp.run(0);
                return;
            }
            l = rejoin(l);
        }
    }

    /**
     * The daemon is gone: nothing happens to the job. Waits for a daemon of ours (starting one
     * if need be) and hands it the job with Adopt: its state and the pty master. Until then the
     * wait loop's reports only update what Adopt will say.
     */
    private DaemonLink rejoin(DaemonLink old) {
        slot.vacate(old);
        old.close();
        Reconnect reconnect = new Reconnect(socket, handedOver);
        handedOver = false;
        while (true) {
            DaemonLink l = reconnect.await();
            try {
                boolean carriedEnd = slot.offer(l, job, attached, unseen);
                if (l.read() instanceof RunnerMessage.Adopted) {
                    unseen.clear();
                    if (carriedEnd) slot.release();
                    return l;
                }
            } catch (IOException | RuntimeException e) {
                // gone again, or refused us: try again later
            }
            slot.vacate(l);
            l.close();
            reconnect.refused();
        }
    }
}
