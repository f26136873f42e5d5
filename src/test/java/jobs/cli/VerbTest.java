package jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import jobs.client.JobsException;
import org.junit.jupiter.api.Test;

class VerbTest {
    @Test
    void namesAliasesAndPrefixes() {
        assertSame(Verb.CONTINUE, Verb.of("c"));
        assertSame(Verb.CONTINUE, Verb.of("resume"));
        assertSame(Verb.LIST, Verb.of("l"));
        assertSame(Verb.LOG, Verb.of("lo"));
        assertSame(Verb.CLEAN, Verb.of("cl"));
        assertSame(Verb.KILL_SERVER, Verb.of("k"));
        assertSame(Verb.KILL, Verb.of("kill"));
        assertSame(Verb.WAIT, Verb.of("w"));
        assertSame(Verb.RESTART_SERVER, Verb.of("restart-server"));
        // restart-server only in full, so 'res' still means resume
        assertSame(Verb.CONTINUE, Verb.of("res"));
        assertSame(Verb.QUEUE, Verb.of("q"));
        assertSame(Verb.START, Verb.of("st"));
        assertSame(Verb.RERUN, Verb.of("rer"));
        assertSame(Verb.CONTINUE, Verb.of("re"));
        JobsException e = assertThrows(JobsException.class, () -> Verb.of("restart"));
        assertEquals(2, e.exitCode());
        assertEquals("unknown command 'restart' (see 'jobs --help')", e.getMessage());
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        Map<Verb, String> expected = Map.ofEntries(Map.entry(Verb.RUN, Help.RUN), Map.entry(Verb.CONTINUE, Help.CONTINUE),
                Map.entry(Verb.LIST, Help.LIST), Map.entry(Verb.KILL_SERVER, Help.KILL_SERVER),
                Map.entry(Verb.RESTART_SERVER, Help.RESTART_SERVER), Map.entry(Verb.DAEMON, Help.DAEMON),
                Map.entry(Verb.INIT, Help.INIT), Map.entry(Verb.HELP, Help.HELP), Map.entry(Verb.KILL, Help.KILL),
                Map.entry(Verb.WAIT, Help.WAIT), Map.entry(Verb.CLEAN, Help.CLEAN), Map.entry(Verb.LOG, Help.LOG),
                Map.entry(Verb.QUEUE, Help.QUEUE), Map.entry(Verb.START, Help.START), Map.entry(Verb.RERUN, Help.RERUN));
        assertEquals(expected.keySet(), Set.copyOf(Arrays.asList(Verb.values())));
        expected.forEach((verb, help) -> assertSame(help, verb.help, verb.name()));
    }
}
