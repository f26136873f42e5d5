package jobs.cli;

/**
 * Names the JDK's own selector provider before anything uses NIO. Left unnamed, NIO looks for
 * another one with a ServiceLoader, which opens every jar on the class path to read its
 * META-INF/services: 13 jars, about 10 ms of {@code jobs list}, for a provider none of them has.
 * The class named is the one NIO would fall back to on Linux; a JDK without it keeps the look-up.
 */
final class SelectorProviderName {
    private static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    private static final String LINUX_DEFAULT = "sun.nio.ch.EPollSelectorProvider";

    private SelectorProviderName() {}

    static void set() {
        if (System.getProperty(PROPERTY) != null) return;
        try {
            Class.forName(LINUX_DEFAULT, false, null);
            System.setProperty(PROPERTY, LINUX_DEFAULT);
        } catch (ClassNotFoundException | LinkageError notThere) {
            // NIO finds its default the slow way
        }
    }
}
