package jobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void tableLikeTheSeed() {
        String expected = """
                ╭────┬──────────────┬─────────────────────────┬────────────┬──────╮
                │ ID │   Command    │          State          │   Fg/Bg    │ PID  │
                ├────┼──────────────┼─────────────────────────┼────────────┼──────┤
                │  1 │    sleep 100 │                 Running │ Background │  100 │
                │  2 │          vim │                 Stopped │            │ 2001 │
                │  3 │          cat │                 Running │ Foreground │    3 │
                │  4 │ sh -c exit 3 │ Finished with error - 3 │            │    4 │
                │  5 │         true │                Finished │            │    5 │
                │  6 │      sleep 9 │        Killed - SIGKILL │            │    6 │
                ╰────┴──────────────┴─────────────────────────┴────────────┴──────╯
                """;
        assertEquals(expected, ListView.table(JOBS, false));
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
                + "\"attached\":false,\"exit_code\":3,\"signal\":null,\"started_at\":\"t\",\"lost\":null,\"log\":null},"
                + "{\"id\":3,\"pid\":3,\"command\":[\"cat\"],\"state\":\"running\",\"attached\":true,"
                + "\"exit_code\":null,\"signal\":null,\"started_at\":\"t\",\"lost\":null,\"log\":null}]\n",
                ListView.json(List.of(JOBS.get(3), JOBS.get(2))));
    }
}
