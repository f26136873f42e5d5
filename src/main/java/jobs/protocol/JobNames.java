package jobs.protocol;

/**
 * What a job's name ({@code run --name}) may be: a word that cannot be mistaken for an id
 * ({@code 3}), a jobspec ({@code %vi}) or an option, and that stays one cell of the list.
 */
public final class JobNames {
    public static final int MAX_LENGTH = 64;

    private JobNames() {}

    /** Why name cannot be a job's name, or null if it can. */
    public static String problem(String name) {
        if (name.isEmpty()) return "a name cannot be empty";
        if (name.length() > MAX_LENGTH) return "a name has at most " + MAX_LENGTH + " characters";
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) return "a name cannot be a number (it would read as an id)";
        if (name.startsWith("%")) return "a name cannot start with '%' (it would read as a jobspec)";
        if (name.startsWith("-")) return "a name cannot start with '-'";
        if (name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) return "a name cannot hold spaces or control characters";
        return null;
    }
}
