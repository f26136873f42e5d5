package jobs.posix;

/** What {@code waitpid(WUNTRACED|WCONTINUED)} said about a child. */
public sealed interface WaitStatus {

    record Exited(int code) implements WaitStatus {}

    record Signaled(int signal) implements WaitStatus {}

    record Stopped(int signal) implements WaitStatus {}

    record Continued() implements WaitStatus {}

    /** Decodes the raw status word as glibc's W* macros do on Linux. */
    static WaitStatus decode(int status) {
        if (status == 0xffff) return new Continued();
        int low = status & 0x7f;
        if (low == 0) return new Exited((status >> 8) & 0xff);
        if ((status & 0xff) == 0x7f) return new Stopped((status >> 8) & 0xff);
        return new Signaled(low);
    }
}
