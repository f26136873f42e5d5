package jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The commands, and which one a word the user typed means: a name, an alias or a unique prefix. */
enum Verb {
    RUN(Help.RUN),
    CONTINUE(Help.CONTINUE),
    LIST(Help.LIST),
    KILL_SERVER(Help.KILL_SERVER),
    RESTART_SERVER(Help.RESTART_SERVER),
    DAEMON(Help.DAEMON),
    INIT(Help.INIT),
    HELP(Help.HELP),
    KILL(Help.KILL),
    WAIT(Help.WAIT),
    CLEAN(Help.CLEAN),
    LOG(Help.LOG),
    QUEUE(Help.QUEUE),
    START(Help.START),
    RERUN(Help.RERUN);

    /**
     * Commands added after the first release: a prefix that also fits an older command keeps
     * meaning the older one ('jobs c 2' still continues job 2; 'jobs cl' cleans).
     */
    private static final Set<Verb> NEWER = Set.of(KILL, WAIT, CLEAN, LOG, QUEUE, START, RERUN);

    /**
     * Names that only match in full: restart-server would otherwise make 'r' and 're' (run,
     * resume) ambiguous, and a command that hands every job over is worth typing out.
     */
    private static final Map<String, Verb> FULL_NAMES = Map.of("restart-server", RESTART_SERVER);

    /** Names users type, aliases included, in the order shown when a prefix is ambiguous. */
    private static final Map<String, Verb> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("run", RUN);
        NAMES.put("continue", CONTINUE);
        NAMES.put("fg", CONTINUE);
        NAMES.put("resume", CONTINUE);
        NAMES.put("list", LIST);
        NAMES.put("ls", LIST);
        NAMES.put("kill-server", KILL_SERVER);
        NAMES.put("log", LOG);
        // 'jobs l' meant list before log existed, and README and fingers still say so
        NAMES.put("l", LIST);
        NAMES.put("daemon", DAEMON);
        NAMES.put("init", INIT);
        NAMES.put("help", HELP);
        NAMES.put("kill", KILL);
        NAMES.put("wait", WAIT);
        NAMES.put("clean", CLEAN);
        NAMES.put("queue", QUEUE);
        NAMES.put("start", START);
        NAMES.put("rerun", RERUN);
    }

    /** The command's --help text. */
    final String help;

    Verb(String help) {
        this.help = help;
    }

    /** An exact name, or the one command that every name starting with {@code word} means. */
    static Verb of(String word) {
        Verb full = FULL_NAMES.get(word);
        if (full != null) return full;
        Verb exact = NAMES.get(word);
        if (exact != null) return exact;
        Set<Verb> verbs = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        NAMES.forEach((name, v) -> {
            if (name.startsWith(word)) {
                verbs.add(v);
                names.add(name);
            }
        });
        if (verbs.size() > 1 && !NEWER.containsAll(verbs)) {
            verbs.removeAll(NEWER);
            // 'r' lists run and resume, not rerun; an empty word still lists every command, as help does
            if (!word.isEmpty()) names.removeIf(name -> !verbs.contains(NAMES.get(name)));
        }
        if (verbs.size() == 1) return verbs.iterator().next();
        if (verbs.isEmpty()) throw CommandLine.usage("unknown command '" + word + "'");
        throw CommandLine.usage("ambiguous command '" + word + "': " + String.join(", ", names));
    }
}
