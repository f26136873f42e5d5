package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jobs.protocol.Event;
import jobs.testkit.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forty attached, idle {@code cat} jobs in a daemon whose virtual threads share two carriers
 * (surefire runs every test with parallelism 2 and no compensation). If any idle read pinned a
 * carrier, the later jobs would never echo.
 */
@Slow
@Timeout(300)
class ScaleTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();

    @Test
    void fortyAttachedCatJobsAllEcho() throws Exception {
        List<TestClient> clients = new ArrayList<>();
        TestDaemon daemon = daemons.start(tmp);
        try {
            for (int i = 0; i < 40; i++) {
                TestClient c = daemon.client();
                clients.add(c);
                assertInstanceOf(Event.Running.class, c.run(List.of("cat")));
            }
            for (int i = 0; i < clients.size(); i++) {
                TestClient c = clients.get(i);
                String word = "ping-" + i;
                c.type(word + "\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> c.output().contains(word + "\r\n" + word + "\r\n"));
            }
            for (TestClient c : clients) c.type("\u0004");
            for (TestClient c : clients) assertInstanceOf(Event.Finished.class, c.readEvent());
        } finally {
            clients.forEach(TestClient::close);
        }
    }
}
