package jobs.posix;

import java.io.IOException;

/** posix_spawn failed; {@link #errno()} says why (ENOENT, EACCES, ...), so callers can map it. */
public final class SpawnException extends IOException {
    private final int errno;

    public SpawnException(String call, int errno) {
        super(call + ": " + Errno.name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
