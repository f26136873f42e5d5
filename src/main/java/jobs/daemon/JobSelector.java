package jobs.daemon;

import java.util.List;
import java.util.Optional;
import jobs.job.Job;

/**
 * Which job a word the user typed means, the one place that decides it for every command that
 * takes a job: {@code 3} or {@code %3} (an id), {@code %+} or {@code %%} (the current job, as
 * in bash), {@code %STRING} (the one job whose command starts with STRING, bash's jobspec),
 * and otherwise a name given with {@code run --name}. Only jobs in the table count.
 */
final class JobSelector {
    private JobSelector() {}

    /** A word that names no job, or more than one; the message is worded for people. */
    static final class NoSuchJob extends Exception {
        NoSuchJob(String message) {
            super(message, null, false, false);
        }
    }

    static Job select(JobTable table, String word) throws NoSuchJob {
        if (word.equals("%+") || word.equals("%%")) {
            return table.mostRecent().orElseThrow(() -> new NoSuchJob("no current job"));
        }
        String rest = word.startsWith("%") ? word.substring(1) : word;
        if (!rest.isEmpty() && rest.length() < 10 && rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int id = Integer.parseInt(rest);
            return table.get(id).orElseThrow(() -> new NoSuchJob("job " + id + " not found"));
        }
        if (word.startsWith("%") && !rest.isEmpty()) return byCommand(table, rest, word);
        Optional<Job> named = table.named(word);
        if (named.isPresent()) return named.get();
        throw new NoSuchJob("job '" + word + "' not found");
    }

    private static Job byCommand(JobTable table, String prefix, String word) throws NoSuchJob {
        List<Job> matches = table.all().stream()
                .filter(j -> String.join(" ", j.command()).startsWith(prefix))
                .toList();
        if (matches.size() == 1) return matches.getFirst();
        if (matches.isEmpty()) throw new NoSuchJob("no job's command starts with '" + prefix + "'");
        StringBuilder sb = new StringBuilder("'" + word + "' is ambiguous: ");
        for (int i = 0; i < matches.size(); i++) {
            Job j = matches.get(i);
            if (i > 0) sb.append(", ");
            sb.append('[').append(j.id()).append("] ").append(oneLine(String.join(" ", j.command())));
        }
        throw new NoSuchJob(sb.toString());
    }

    /** A command as one short line: the candidates of an ambiguous word share the error's line. */
    private static String oneLine(String command) {
        String flat = command.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 40 ? flat.substring(0, 39) + "…" : flat;
    }
}
