package jobs.client;

/**
 * A failure meant for the user: thrown where the problem is found, caught only by cli.Main, which
 * restores the terminal, prints {@code jobs: MESSAGE} on one line and exits with {@code exitCode}.
 */
public class JobsException extends RuntimeException {
    private final int exitCode;

    public JobsException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
