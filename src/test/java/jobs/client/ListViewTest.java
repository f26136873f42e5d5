package jobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import jobs.protocol.JobInfo;
import jobs.protocol.JobInfo.JobStateName;
import org.junit.jupiter.api.Test;

class ListViewTest {
    private static final List<JobInfo> JOBS = List.of(
            new JobInfo(1, 100, List.of("sleep", "100"), JobStateName.RUNNING, false, null, null, "2024-01-01T00:00:00Z"),
            new JobInfo(2, 2001, List.of("vim"), JobStateName.STOPPED, false, null, null, "2024-01-01T00:00:01Z"),
            new JobInfo(3, 3, List.of("cat"), JobStateName.RUNNING, true, null, null, "t"),
            new JobInfo(4, 4, List.of("sh", "-c", "exit 3"), JobStateName.FINISHED, false, 3, null, "t"),
            new JobInfo(5, 5, List.of("true"), JobStateName.FINISHED, false, 0, null, "t"),
            new JobInfo(6, 6, List.of("sleep", "9"), JobStateName.FINISHED, false, null, 9, "t"));

    private static final Instant NOW = Instant.parse("2024-01-01T00:03:12Z");

    @Test
    void jobsNotBackAfterACrashAreNamedInOneLine() {
        assertEquals("jobs: job 4 has not come back yet since the daemon restarted (its runner is alive); list again in a moment",
                ListView.notBackLine(List.of(4)));
        assertTrue(ListView.notBackLine(List.of(2, 5)).startsWith("jobs: jobs 2, 5 have not come back yet"),
                ListView.notBackLine(List.of(2, 5)));
    }

    @Test
    void tableLikeTheSeed() {
        String expected = """
                ╭────┬──────────────┬─────────────────────────┬────────────┬──────┬──────────┬───────╮
                │ ID │   Command    │          State          │   Fg/Bg    │ PID  │ Started  │ Time  │
                ├────┼──────────────┼─────────────────────────┼────────────┼──────┼──────────┼───────┤
                │  1 │    sleep 100 │                 Running │ Background │  100 │ 00:00:00 │ 3m12s │
                │  2 │          vim │                 Stopped │            │ 2001 │ 00:00:01 │ 3m11s │
                │  3 │          cat │                 Running │ Foreground │    3 │          │       │
                │  4 │ sh -c exit 3 │ Finished with error - 3 │            │    4 │          │       │
                │  5 │         true │                Finished │            │    5 │          │       │
                │  6 │      sleep 9 │        Killed - SIGKILL │            │    6 │          │       │
                ╰────┴──────────────┴─────────────────────────┴────────────┴──────┴──────────┴───────╯
                """;
        assertEquals(expected, ListView.table(JOBS, false, 0, NOW, ZoneOffset.UTC));
    }

    @Test
    void namesStartTimesAndHowLongEndedJobsRan() {
        List<JobInfo> jobs = List.of(
                new JobInfo(1, 100, List.of("make", "-j8"), JobStateName.FINISHED, false, 0, null,
                        "2023-12-30T22:00:00Z", null, "build", "2023-12-31T01:05:09Z"),
                new JobInfo(2, 200, List.of("sleep", "1000000"), JobStateName.RUNNING, false, null, null,
                        "2023-12-29T00:03:11Z", null, null, null));
        String table = ListView.table(jobs, false, 0, NOW, ZoneOffset.UTC);
        assertTrue(table.contains("│  1 │ build │      make -j8 │ Finished │            │ 100 │ Dec 30 22:00 │ 3h05m │"), table);
        assertTrue(table.contains("│  2 │       │ sleep 1000000 │  Running │ Background │ 200 │ Dec 29 00:03 │ 3d00h │"), table);
        assertTrue(table.contains("│ ID │ Name  │    Command    │"), table);
    }

    @Test
    void longCommandsAreCutToTheTerminalsWidth() {
        JobInfo longOne = new JobInfo(1, 100, List.of("sh", "-c", "x".repeat(200)), JobStateName.RUNNING, false,
                null, null, "2024-01-01T00:00:00Z");
        String table = ListView.table(List.of(longOne), false, 80, NOW, ZoneOffset.UTC);
        for (String line : table.split("\n")) assertEquals(80, line.codePointCount(0, line.length()), line);
        assertTrue(table.contains("sh -c xxx"), table);
        assertTrue(table.contains("x… │"), table);
        // a terminal too narrow for the other columns keeps the header's width, not less
        String narrow = ListView.table(List.of(longOne), false, 20, NOW, ZoneOffset.UTC);
        assertTrue(narrow.contains("│ sh -c … │"), narrow);
    }

    @Test
    void durations() {
        assertEquals("0s", JobTimes.format(Duration.ofMillis(900)));
        assertEquals("59s", JobTimes.format(Duration.ofSeconds(59)));
        assertEquals("3m12s", JobTimes.format(Duration.ofSeconds(192)));
        assertEquals("1h00m", JobTimes.format(Duration.ofSeconds(3600)));
        assertEquals("2d03h", JobTimes.format(Duration.ofHours(51)));
        assertEquals("0s", JobTimes.format(Duration.ofSeconds(-5)));
    }

    @Test
    void coloursOnlyWhenAsked() {
        String coloured = ListView.table(JOBS, true);
        assertTrue(coloured.contains("\033[1;92mRunning\033[0m"), coloured);
        assertTrue(coloured.contains("\033[1;93mStopped\033[0m"), coloured);
        assertTrue(coloured.contains("\033[1;31mKilled - SIGKILL\033[0m"), coloured);
        assertTrue(coloured.contains("\033[1mForeground\033[0m"), coloured);
        assertEquals(ListView.table(JOBS, false), coloured.replaceAll("\033\\[[0-9;]*m", ""));
    }

    @Test
    void aLostJobSaysWhy() {
        JobInfo lost = new JobInfo(7, 7, List.of("cat"), JobStateName.FINISHED, false, null, 9, "t", "its runner died");
        assertTrue(ListView.table(List.of(lost), false).contains("Lost - its runner died"));
        assertTrue(ListView.json(List.of(lost)).contains("\"signal\":9,\"started_at\":\"t\",\"lost\":\"its runner died\""));
    }

    @Test
    void emptyList() {
        assertEquals("No jobs found\n", ListView.table(List.of(), true));
        assertEquals("[]\n", ListView.json(List.of()));
    }

    @Test
    void commandsWithNewlinesStayOnOneRow() {
        assertEquals("sh -c a\\nb\\x1b", ListView.commandText(List.of("sh", "-c", "a\nb\033")));
    }

    @Test
    void json() {
        assertEquals("[{\"id\":4,\"pid\":4,\"command\":[\"sh\",\"-c\",\"exit 3\"],\"state\":\"finished\","
                + "\"attached\":false,\"exit_code\":3,\"signal\":null,\"started_at\":\"t\",\"lost\":null,"
                + "\"name\":null,\"ended_at\":null,\"log\":null,\"queue\":null,\"after\":[],\"start_at\":null,\"cancelled\":null},"
                + "{\"id\":3,\"pid\":3,\"command\":[\"cat\"],\"state\":\"running\",\"attached\":true,"
                + "\"exit_code\":null,\"signal\":null,\"started_at\":\"t\",\"lost\":null,"
                + "\"name\":null,\"ended_at\":null,\"log\":null,\"queue\":null,\"after\":[],\"start_at\":null,\"cancelled\":null}]\n",
                ListView.json(List.of(JOBS.get(3), JOBS.get(2))));
        JobInfo named = new JobInfo(1, 1, List.of("make"), JobStateName.FINISHED, false, 0, null, "a", null, "build", "b");
        assertTrue(ListView.json(List.of(named)).contains("\"lost\":null,\"name\":\"build\",\"ended_at\":\"b\",\"log\":null,"));
    }

    @Test
    void waitingJobsHaveTheirOwnStates() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        List<JobInfo> jobs = List.of(
                new JobInfo(5, 0, List.of("make"), JobStateName.QUEUED, false, null, null, null, null, null, null, null,
                        "gpu", List.of(), null, null),
                new JobInfo(6, 0, List.of("test"), JobStateName.WAITING, false, null, null, null, null, null, null, null,
                        null, List.of(5, 2), null, null),
                new JobInfo(7, 0, List.of("deploy"), JobStateName.DELAYED, false, null, null, null, null, null, null, null,
                        null, List.of(), "2026-12-07T14:05:00Z", null),
                new JobInfo(8, 0, List.of("ls"), JobStateName.CANCELLED, false, null, null, null, null, null, null, null,
                        null, List.of(), null, "job 4 ended with status 1"));
        String table = ListView.table(jobs, false, 0, now, java.time.ZoneOffset.UTC);
        for (String state : List.of("Queued in gpu", "Waiting for 5, 2", "Delayed until 14:05",
                "Cancelled - job 4 ended with status 1")) {
            assertTrue(table.contains(" " + state + " │"), table);
        }
        assertTrue(!table.contains(" 0 │"), "no pid before it starts: " + table);
        String json = ListView.json(jobs);
        assertTrue(json.contains("\"state\":\"waiting\"") && json.contains("\"after\":[5,2]"), json);
        assertTrue(json.contains("\"queue\":\"gpu\"") && json.contains("\"start_at\":\"2026-12-07T14:05:00Z\""), json);
        assertTrue(json.contains("\"state\":\"cancelled\"") && json.contains("\"cancelled\":\"job 4 ended with status 1\""), json);
    }
}
