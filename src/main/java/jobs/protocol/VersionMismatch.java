package jobs.protocol;

import java.io.IOException;

/**
 * A frame from a peer that speaks another version of the protocol: a client and a daemon from
 * different versions of jobs. The one place that detects it ({@link Json#decode}) and the one
 * text the user reads; whatever later hands a daemon over to a newer one starts from here.
 */
public final class VersionMismatch extends IOException {
    private final int peerVersion;

    VersionMismatch(int peerVersion) {
        super("the daemon is from another version of jobs (protocol " + peerVersion + ", this jobs speaks "
                + Json.PROTOCOL_VERSION + "): run 'jobs kill-server' (it ends the daemon's jobs), then try again");
        this.peerVersion = peerVersion;
    }

    public int peerVersion() {
        return peerVersion;
    }
}
