package jobs.posix;

/** Run in a pty by TerminalTest: reports what Terminal sees, one fact per line. */
public final class TerminalProbe {
    public static void main(String[] args) throws Exception {
        System.out.println("isatty=" + Terminal.isatty(0));
        System.out.println("size=" + Terminal.size(0).map(s -> s.rows() + "x" + s.cols()).orElse("none"));
        int before = Terminal.lflag(0);
        RawMode raw = Terminal.enterRaw(0);
        int during = Terminal.lflag(0);
        raw.restore();
        raw.restore();
        int after = Terminal.lflag(0);
        System.out.println("lflag=" + Integer.toHexString(before) + "," + Integer.toHexString(during) + ","
                + Integer.toHexString(after) + ";");
    }
}
