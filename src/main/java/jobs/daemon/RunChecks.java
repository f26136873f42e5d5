package jobs.daemon;

import java.util.List;
import java.util.Map;
import jobs.protocol.JobNames;
import jobs.protocol.Request;

/** What a Run request must satisfy before anything is started for it. */
final class RunChecks {
    private RunChecks() {}

    /**
     * Why a Run request cannot be carried out as sent, or null. Everything here would otherwise
     * fail later, in a runner or in posix_spawn, where the client can no longer be told why.
     */
    static String invalid(Request.Run r) {
        List<String> command = r.command();
        if (command == null || command.isEmpty() || command.stream().anyMatch(s -> s == null || s.indexOf('\0') >= 0)) {
            return "no command to run";
        }
        if (r.env() != null) {
            for (Map.Entry<String, String> e : r.env().entrySet()) {
                String k = e.getKey();
                String v = e.getValue();
                if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0
                        || v == null || v.indexOf('\0') >= 0) {
                    return "malformed environment variable " + k;
                }
            }
        }
        if (r.cwd() != null && (r.cwd().indexOf('\0') >= 0 || !r.cwd().startsWith("/"))) {
            return "working directory " + r.cwd() + " is not an absolute path";
        }
        if (r.name() != null && JobNames.problem(r.name()) != null) {
            return "bad name '" + r.name() + "': " + JobNames.problem(r.name());
        }
        return null;
    }
}
