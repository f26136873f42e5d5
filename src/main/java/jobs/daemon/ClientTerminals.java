package jobs.daemon;

import jobs.job.Connection;
import jobs.posix.Fd;
import jobs.posix.Terminal;
import jobs.posix.WinSize;

/**
 * A client in a terminal leaves its size to the daemon: the request says 0x0 and brings the
 * terminal's descriptor along, which the daemon (whose downcalls are linked long since) measures
 * and closes at once. It keeps no hold on a user's terminal.
 */
final class ClientTerminals {
    private ClientTerminals() {}

    /** The window the request asks for, measured on its terminal when it asks for none. */
    static WinSize size(Connection conn, int rows, int cols) {
        int fd = conn.takeDescriptor();
        try {
            if (rows > 0 && cols > 0) return new WinSize(rows, cols);
            if (fd < 0) return WinSize.DEFAULT;
            return Terminal.size(fd).orElse(WinSize.DEFAULT);
        } finally {
            if (fd >= 0) Fd.closeRaw(fd);
        }
    }
}
