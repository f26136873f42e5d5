package jobs.bench;

/** The floor any JVM client pays: a main that does nothing, started like the jobs CLI. */
public final class Trivial {
    private Trivial() {}

    public static void main(String[] args) {}
}
