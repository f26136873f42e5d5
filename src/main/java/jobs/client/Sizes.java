package jobs.client;

import java.util.Optional;
import jobs.posix.Terminal;
import jobs.posix.WinSize;

/**
 * The size a job's terminal should have: the user's terminal, else 24x80. Standard descriptors
 * that are surely no terminal are not asked, so that `run -d` from a script links no downcall.
 */
final class Sizes {
    private Sizes() {}

    static WinSize current() {
        for (int fd = 0; fd <= 1; fd++) {
            if (Descriptors.surelyNoTerminal(fd)) continue;
            Optional<WinSize> size = Terminal.size(fd);
            if (size.isPresent()) return size.get();
        }
        return WinSize.DEFAULT;
    }
}
