package jobs.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jobs.protocol.Event;
import jobs.protocol.JobInfo;
import jobs.protocol.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class JobFlowIT {
    @TempDir
    Path tmp;
    TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new TestDaemon(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    @Test
    void exitCodeAndOutputOfShell() throws Exception {
        try (TestClient c = daemon.client()) {
            Event first = c.run(List.of("sh", "-c", "echo hello; exit 3"));
            assertInstanceOf(Event.Running.class, first);
            Event last = c.readEvent();
            Event.Finished f = assertInstanceOf(Event.Finished.class, last);
            assertEquals(3, f.exitCode());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("hello"), c.output());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> listJobs().isEmpty());
    }

    @Test
    void ctrlZStopsCatAndContinueFromAnotherClient() throws Exception {
        int id;
        long pid;
        try (TestClient c = daemon.client()) {
            Event.Running r = assertInstanceOf(Event.Running.class, c.run(List.of("cat")));
            id = r.id();
            pid = r.pid();
            c.type("hi\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.output().contains("hi\r\nhi\r\n"));
            c.type("\u001a");
            assertInstanceOf(Event.Stopped.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
        }
        assertEquals('T', procState(pid));
        assertEquals(JobInfo.JobStateName.STOPPED, listJobs().get(0).state());
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, false, 30, 100));
            assertInstanceOf(Event.Running.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(() -> procState(pid) != 'T');
            c.type("again\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.output().contains("again\r\nagain\r\n"));
            c.type("\u0004");
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(0, f.exitCode());
        }
    }

    private List<JobInfo> listJobs() throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.ListJobs());
            return ((Event.JobList) c.readEvent()).jobs();
        }
    }

    static char procState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
