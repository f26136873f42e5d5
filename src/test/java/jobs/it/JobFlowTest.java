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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(120)
class JobFlowTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final TestDaemons daemons = new TestDaemons();
    TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = daemons.start(tmp);
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

    @Test
    void detachedRunThenContinueWithOutputReplaysIt() throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            Event.Background b = assertInstanceOf(Event.Background.class,
                    c.run(List.of("sh", "-c", "echo early-output; read x; echo got-$x"), true));
            id = b.id();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> listJobs().get(0).state() == JobInfo.JobStateName.RUNNING);
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(null, false, true, 24, 80));
            Event.Running r = assertInstanceOf(Event.Running.class, c.readEvent());
            assertEquals(id, r.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.output().contains("early-output"));
            c.type("yes\n");
            assertInstanceOf(Event.Finished.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("got-yes"), c.output());
        }
    }

    @Test
    void alreadyAttachedAndUnknownIdsAreRefused() throws Exception {
        try (TestClient first = daemon.client()) {
            Event.Running r = assertInstanceOf(Event.Running.class, first.run(List.of("cat")));
            try (TestClient second = daemon.client()) {
                second.send(new Request.Continue(r.id(), false, false, 24, 80));
                Event.Error e = assertInstanceOf(Event.Error.class, second.readEvent());
                assertEquals(Event.ErrorKind.ALREADY_ATTACHED, e.kind());
                assertEquals("job " + r.id() + " is attached to another terminal (take it over with 'jobs continue --steal "
                        + r.id() + "')", e.message());
            }
            try (TestClient third = daemon.client()) {
                third.send(new Request.Continue(99, false, false, 24, 80));
                Event.Error e = assertInstanceOf(Event.Error.class, third.readEvent());
                assertEquals(Event.ErrorKind.NOT_FOUND, e.kind());
                assertEquals("job 99 not found", e.message());
            }
            first.type("\u0004");
            assertInstanceOf(Event.Finished.class, first.readEvent());
        }
    }

    @Test
    void unknownCommandIsRefusedWithoutCreatingAJob() throws Exception {
        try (TestClient c = daemon.client()) {
            Event.Error e = assertInstanceOf(Event.Error.class, c.run(List.of("no-such-command-xyz")));
            assertEquals(Event.ErrorKind.COMMAND_NOT_FOUND, e.kind());
            assertEquals("no-such-command-xyz: command not found", e.message());
        }
        assertTrue(listJobs().isEmpty());
    }

    @Test
    void aFileThatIsNotExecutableIsRefusedWithoutCreatingAJob() throws Exception {
        Path script = Files.writeString(tmp.resolve("not-executable.sh"), "echo never\n");
        try (TestClient c = daemon.client()) {
            Event.Error e = assertInstanceOf(Event.Error.class, c.run(List.of(script.toString())));
            assertEquals(Event.ErrorKind.NOT_EXECUTABLE, e.kind());
            assertEquals(script + ": permission denied", e.message());
        }
        assertTrue(listJobs().isEmpty());
    }

    @Test
    void environmentAndWorkingDirectoryReachTheJob() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        try (TestClient c = daemon.client()) {
            c.send(new Request.Run(List.of("sh", "-c", "echo \"[$MY_VAR]\"; pwd"),
                    java.util.Map.of("PATH", System.getenv("PATH"), "MY_VAR", "hello there"),
                    dir.toString(), 24, 80, false));
            assertInstanceOf(Event.Running.class, c.readEvent());
            assertInstanceOf(Event.Finished.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("[hello there]"), c.output());
            assertTrue(c.output().contains(dir.toString()), c.output());
        }
    }

    @Test
    void windowSizeAtStartAndAfterResize() throws Exception {
        try (TestClient c = daemon.client()) {
            c.send(new Request.Run(List.of("sh", "-c", "stty size; while read x; do stty size; done"),
                    java.util.Map.of("PATH", System.getenv("PATH")), tmp.toString(), 33, 101, false));
            assertInstanceOf(Event.Running.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.output().contains("33 101"));
            c.send(new Request.Resize(40, 120));
            // the resize travels on the control connection, the newline on the data socket:
            // ask again until the job sees the new size
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                c.type("\n");
                return c.output().contains("40 120");
            });
            c.type("\u0004");
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
    }

    @Test
    void continueTakesTheSizeOfTheNewTerminal() throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = ((Event.Running) c.run(List.of("sh", "-c", "read x; stty size"))).id();
            c.type("\u001a");
            assertInstanceOf(Event.Stopped.class, c.readEvent());
        }
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, false, 50, 140));
            assertInstanceOf(Event.Running.class, c.readEvent());
            c.type("\n");
            assertInstanceOf(Event.Finished.class, c.readEvent());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("50 140"), c.output());
        }
    }

    @Test
    void signalDeathIsReportedAsSuch() throws Exception {
        try (TestClient c = daemon.client()) {
            c.run(List.of("sh", "-c", "kill -TERM $$"));
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(15, f.signal());
            assertEquals(null, f.exitCode());
        }
    }

    @Test
    void ctrlCReachesTheJob() throws Exception {
        try (TestClient c = daemon.client()) {
            c.run(List.of("sleep", "100"));
            c.type("\u0003");
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(2, f.signal());
        }
    }

    @Test
    void grandchildHoldingThePtyDoesNotHoldTheJob() throws Exception {
        try (TestClient c = daemon.client()) {
            c.run(List.of("sh", "-c", "sleep 100 & echo parent-done; exit 0"));
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(0, f.exitCode());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("parent-done"), c.output());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> listJobs().isEmpty());
    }

    @Test
    void aVanishedClientLeavesTheJobRunningInTheBackground() throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = ((Event.Running) c.run(List.of("cat"))).id();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !listJobs().get(0).attached());
        assertEquals(JobInfo.JobStateName.RUNNING, listJobs().get(0).state());
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, false, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            c.type("\u0004");
            assertInstanceOf(Event.Finished.class, c.readEvent());
        }
    }

    @Test
    void finishedInBackgroundIsDeliveredOnContinueThenLeavesTheList() throws Exception {
        int id;
        try (TestClient c = daemon.client()) {
            id = ((Event.Background) c.run(List.of("sh", "-c", "echo bye; exit 4"), true)).id();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> listJobs().get(0).state() == JobInfo.JobStateName.FINISHED);
        assertEquals(4, listJobs().get(0).exitCode());
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(id, false, true, 24, 80));
            assertInstanceOf(Event.Running.class, c.readEvent());
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertEquals(4, f.exitCode());
            await().atMost(Duration.ofSeconds(10)).until(c::dataEof);
            assertTrue(c.output().contains("bye"), c.output());
        }
        assertTrue(listJobs().isEmpty());
    }

    @Test
    void continueDetachedResumesAStoppedJob() throws Exception {
        long pid;
        int id;
        try (TestClient c = daemon.client()) {
            Event.Running r = (Event.Running) c.run(List.of("sleep", "100"));
            pid = r.pid();
            id = r.id();
            c.type("\u001a");
            assertInstanceOf(Event.Stopped.class, c.readEvent());
        }
        assertEquals('T', procState(pid));
        try (TestClient c = daemon.client()) {
            c.send(new Request.Continue(null, true, false, 24, 80));
            Event.Background b = assertInstanceOf(Event.Background.class, c.readEvent());
            assertEquals(id, b.id());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> procState(pid) != 'T');
        await().atMost(Duration.ofSeconds(10)).until(() -> listJobs().get(0).state() == JobInfo.JobStateName.RUNNING);
    }

    @Test
    void killServerLeavesNoProcess() throws Exception {
        long pid;
        try (TestClient c = daemon.client()) {
            pid = ((Event.Background) c.run(List.of("sleep", "100"), true)).pid();
        }
        try (TestClient c = daemon.client()) {
            ((Event.Running) c.run(List.of("sh", "-c", "trap '' HUP; sleep 100"))).id();
            try (TestClient k = daemon.client()) {
                k.send(new Request.KillServer());
                assertInstanceOf(Event.Done.class, k.readEvent());
            }
            Event.Finished f = assertInstanceOf(Event.Finished.class, c.readEvent());
            assertTrue(f.signal() != null, f.toString());
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
        assertTrue(!Files.exists(daemon.paths.socket()));
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
