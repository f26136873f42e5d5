package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import jobs.testkit.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hundred {@code run -d} sent at once, as a script looping over {@code jobs run -d} in the
 * background does. A hundred runner JVMs starting together on two cores each took minutes and
 * missed the daemon's start deadline; every one of these must start, and run its job.
 */
@Slow
@Timeout(600)
class StartBurstTest {
    private static final int JOBS = 100;
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();

    @Test
    void aHundredDetachedRunsAtOnceAllStart() throws Exception {
        List<TestClient> clients = new ArrayList<>();
        TestDaemon daemon = daemons.start(tmp);
        try {
            for (int i = 0; i < JOBS; i++) clients.add(daemon.client());
            // every request is on its way before the first answer is read
            for (TestClient c : clients) {
                c.send(new Request.Run(List.of("sh", "-c", "exit 7"), java.util.Map.of("PATH", System.getenv("PATH")),
                        tmp.toString(), 24, 80, true));
            }
            for (TestClient c : clients) {
                Event e = c.readEvent();
                assertInstanceOf(Event.Background.class, e, () -> String.valueOf(e));
            }
        } finally {
            clients.forEach(TestClient::close);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<JobInfo> jobs = list(daemon);
            return jobs.size() == JOBS && jobs.stream().allMatch(j -> j.state() == JobInfo.JobStateName.FINISHED);
        });
        assertEquals(List.of(7), list(daemon).stream().map(JobInfo::exitCode).distinct().toList());
    }

    private static List<JobInfo> list(TestDaemon daemon) throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return assertInstanceOf(Event.JobList.class, c.readEvent()).jobs();
        }
    }
}
