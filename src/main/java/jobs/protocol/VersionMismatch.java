package jobs.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame from a peer that speaks another version of the protocol: a client and a daemon from
 * different versions of jobs. The one place that detects it ({@link Json#decode}) and the one
 * text the user reads; whatever later hands a daemon over to a newer one starts from here.
 */
public final class VersionMismatch extends IOException {
    private final int peerVersion;
    private final String frameType;

    VersionMismatch(int peerVersion) {
        this(peerVersion, null);
    }

    VersionMismatch(int peerVersion, String frameType) {
        super("the daemon is from another version of jobs (protocol " + peerVersion + ", this jobs speaks "
                + Json.PROTOCOL_VERSION + "): " + advice(peerVersion) + ", then try again");
        this.peerVersion = peerVersion;
        this.frameType = frameType;
    }

    /** The type the peer's frame said it was ("Event.Done"), or null: what an older daemon answered. */
    public String frameType() {
        return frameType;
    }

    /**
     * Daemons from protocol 2 on hand their jobs over (RestartServer is outside the version
     * check); an older one can only be ended, with its jobs.
     */
    private static String advice(int peerVersion) {
        return peerVersion >= 2 ? "run 'jobs restart-server' (it keeps the daemon's jobs)"
                : "run 'jobs kill-server' (it ends the daemon's jobs)";
    }

    public int peerVersion() {
        return peerVersion;
    }

    /**
     * Whether the peer is a daemon this side may upgrade by itself: an older one that knows
     * restart-server. A newer daemon is never handed back to an older build behind the user's back.
     */
    public boolean upgradable() {
        return peerVersion >= 2 && peerVersion < Json.PROTOCOL_VERSION;
    }

    /**
     * A kill-server frame in the peer's version. KillServer is the same (no fields) in every
     * version, and the advice above is to run it: it must work whichever side is the older.
     */
    public byte[] killServerFrame() {
        byte[] json = ("{\"type\":\"Request.KillServer\",\"v\":" + peerVersion + "}").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
    }

    /** Whether a frame of another version is one this side understands all the same. */
    static boolean understood(String type) {
        return "Request.KillServer".equals(type);
    }
}
