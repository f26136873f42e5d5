package jobs.client;

import jobs.protocol.VersionMismatch;

/**
 * The daemon refused the request because it speaks an older protocol, before doing anything
 * with it: cli.Main hands its jobs to a daemon of this build ({@link Client#upgradeDaemon}) and
 * runs the command again. Left uncaught, it is the mismatch's one line, as any JobsException.
 */
public final class OlderDaemon extends JobsException {
    private final int daemonVersion;

    OlderDaemon(VersionMismatch cause) {
        super(1, cause.getMessage());
        this.daemonVersion = cause.peerVersion();
    }

    public int daemonVersion() { return daemonVersion; }
}
