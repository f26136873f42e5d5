package jobs.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jobs.config.Settings;
import jobs.testkit.ThreadDump;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-process daemons of one test (register it as a field with {@code @RegisterExtension}).
 * Whatever happened, each one it started is shut down after the test and every process of this
 * JVM's is gone; if the test failed, every thread of this JVM (the daemons' virtual threads
 * among them) is printed first, while the daemons still run.
 */
final class TestDaemons implements AfterTestExecutionCallback, AfterEachCallback {
    private final List<TestDaemon> started = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** A daemon with the default settings, its runtime dir under dir. */
    TestDaemon start(Path dir) throws IOException {
        return start(dir, Settings.DEFAULTS);
    }

    TestDaemon start(Path dir, Settings settings) throws IOException {
        TestDaemon daemon = new TestDaemon(dir, settings);
        started.add(daemon);
        dirs.add(dir);
        return daemon;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || dirs.isEmpty()) return;
        System.out.println("== " + context.getDisplayName() + " failed ==");
        ThreadDump.print("the test JVM", ProcessHandle.current().pid(), dirs.getLast());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (TestDaemon d : started.reversed()) {
            try {
                d.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        started.clear();
        dirs.clear();
        TestDaemon.Processes.killDescendants();
        if (first != null) throw first;
    }
}
