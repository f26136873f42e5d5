package jobs.daemon;

import java.util.Optional;
import jobs.job.Connection;
import jobs.posix.Fd;
import jobs.posix.Terminal;
import jobs.posix.WinSize;

/**
 * A client in a terminal leaves its size to the daemon: the request says 0x0 (list asks for
 * none) and brings the terminal's descriptor along, which the daemon (whose downcalls are linked long since) measures
 * and closes at once. It keeps no hold on a user's terminal.
 */
final class ClientTerminals {
    private ClientTerminals() {}

    /** The width of the terminal that came with the request (list's), or 0 when none did. */
    static int columns(Connection conn) {
        return measured(conn).map(WinSize::cols).orElse(0);
    }

    /** The window the request asks for, measured on its terminal when it asks for none. */
    static WinSize size(Connection conn, int rows, int cols) {
        Optional<WinSize> terminal = measured(conn);
        if (rows > 0 && cols > 0) return new WinSize(rows, cols);
        return terminal.orElse(WinSize.DEFAULT);
    }

    /** The size of the terminal that came with the request, which is closed either way. */
    private static Optional<WinSize> measured(Connection conn) {
        int fd = conn.takeDescriptor();
        if (fd < 0) return Optional.empty();
        try {
            return Terminal.size(fd);
        } finally {
            Fd.closeRaw(fd);
        }
    }
}
