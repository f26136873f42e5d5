package jobs.client;

import java.util.Map;
import jobs.config.Settings;

/** The key that detaches a client from its job: {@code ^X} for Ctrl-X, or {@code none}. */
final class DetachKey {
    static final int NONE = -1;

    private DetachKey() {}

    /** The byte the key sends, or {@link #NONE}; a JobsException (usage) for anything else. */
    static int parse(String word, String what) {
        String w = word.strip();
        if (w.equalsIgnoreCase("none")) return NONE;
        if (w.length() == 2 && w.charAt(0) == '^') {
            char c = Character.toUpperCase(w.charAt(1));
            if (c >= '@' && c <= '_') return c & 0x1f;
            if (c == '?') return 0x7f;
        }
        throw new JobsException(2, what + ": '" + word + "' is not a key: use ^X for Ctrl-X (^\\, ^], ^A ...) or none");
    }

    /** The --detach-key given, else the detach.key setting. */
    static int resolve(String option, Map<String, String> env) {
        if (option != null) return parse(option, "--detach-key");
        return parse(Settings.load(env).detachKey(), "detach.key setting");
    }
}
