package jobs.client;

import jobs.posix.Terminal;
import jobs.posix.WinSize;

/** The size a job's terminal should have: the user's terminal, else 24x80. */
final class Sizes {
    private Sizes() {}

    static WinSize current() {
        return Terminal.size(0).or(() -> Terminal.size(1)).orElse(WinSize.DEFAULT);
    }
}
