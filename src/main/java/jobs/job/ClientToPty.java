package jobs.job;

import java.io.IOException;
import jobs.posix.Fd;
import jobs.protocol.Event;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The client's direction of a job, one per attachment: the keys that come on the data socket
 * go to the pty on a virtual thread of their own, and the sizes that come on the control
 * connection go to the pty's window on the request's thread. Either one ending lets the client go.
 */
final class ClientToPty {
    private static final Logger log = LoggerFactory.getLogger(ClientToPty.class);

    private final Job job;
    private final Attachment attachment;

    private ClientToPty(Job job, Attachment attachment) {
        this.job = job;
        this.attachment = attachment;
    }

    /**
     * Makes the client on {@code control} the attached one (see {@link JobState#attach}): sends it
     * Running with the data socket, replays the backlog if asked and starts its keys' thread.
     */
    static Job.AttachResult attach(Job job, Connection control, boolean fetchOutput, boolean steal, boolean returning,
                                   int rows, int cols) throws IOException {
        job.pty.resize(rows, cols);
        int[] pair = Fd.socketPair();
        Fd data = Fd.adopt(pair[0]);
        Attachment a = new Attachment(control, data);
        Admission admission = job.state.attach(a, fetchOutput, steal, returning);
        if (admission.stolen() != null) {
            log.info("job taken over by another terminal");
            admission.stolen().finish(new Event.TakenOver(job.id()));
        }
        if (admission.result() != Job.AttachResult.ATTACHED) {
            data.close();
            Fd.closeRaw(pair[1]);
            return admission.result();
        }
        try {
            try {
                control.sendWithDescriptor(new Event.Running(job.id(), job.group.pid(), job.command(),
                        admission.dropped()), pair[1]);
            } finally {
                // at once, not after the replay: while this copy is open, a client that leaves
                // before reading it all never hangs the socket up, and the replay waits forever
                Fd.closeRaw(pair[1]);
            }
            data.writeFully(admission.replay(), 0, admission.replay().length);
        } catch (IOException e) {
            log.info("client left while attaching: {}", e.getMessage());
            job.state.replayFailed(a, admission.replay(), admission.dropped());
            return Job.AttachResult.ATTACHED;
        }
        job.settle(job.state.attached(a));
        new ClientToPty(job, a).start();
        job.repaint.attached(admission.wasStopped());
        // only a stop from before this attachment: once the client has Running, its own Ctrl-Z
        // may already have stopped the job again, and resuming that would swallow it
        if (admission.wasStopped()) job.runner.resume();
        return Job.AttachResult.ATTACHED;
    }

    private void start() {
        Thread.ofVirtual().name("job-" + job.id() + " client>pty").start(this::keys);
    }

    private void keys() {
        MDC.put("job", Integer.toString(job.id()));
        byte[] buf = new byte[16 * 1024];
        try {
            while (true) {
                int n = attachment.data().read(buf, 0, buf.length);
                if (n == Fd.EOF) {
                    if (!attachment.isClosed()) log.info("client>pty: the client closed its data socket");
                    break;
                }
                if (n > 0) job.pty.master().writeFully(buf, 0, n);
            }
        } catch (IOException e) {
            // after the daemon let the client go this is the expected end; before, the keys stop
            // reaching the job while the client still shows it: worth a line in the log
            if (attachment.isClosed()) log.debug("client>pty ended: {}", e.getMessage());
            else log.info("client>pty ended while attached: {}", e.toString());
        } catch (RuntimeException e) {
            // whatever went wrong, the client must be let go, or the job stays "attached" forever
            log.warn("client>pty failed", e);
        }
        job.state.detach(attachment);
        job.tellRunnerAttachment();
    }

    /** Serves Resize requests on an attached client's control connection until it closes. */
    static void sizes(Job job, Connection control) {
        try {
            for (Message m = control.read(); m != null; m = control.read()) {
                if (m instanceof Request.Resize r) {
                    job.pty.resize(r.rows(), r.cols());
                } else {
                    control.send(new Event.Error(Event.ErrorKind.BAD_REQUEST,
                            "unexpected " + m.getClass().getSimpleName() + " on an attached connection"));
                }
            }
        } catch (IOException e) {
            log.debug("control connection ended: {}", e.getMessage());
        } finally {
            // also when something unexpected escapes: the job must not stay attached to nobody
            job.state.detachIfControl(control);
            job.tellRunnerAttachment();
        }
    }
}
