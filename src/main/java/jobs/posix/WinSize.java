package jobs.posix;

/** A terminal's size in character cells. */
public record WinSize(int rows, int cols) {
    /** What a job gets when its client has no terminal. */
    public static final WinSize DEFAULT = new WinSize(24, 80);
}
