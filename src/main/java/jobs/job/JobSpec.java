package jobs.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a job is, as asked for: its id, the command with its environment and directory, the
 * size of the terminal it starts in, and its name ({@code run --name}; null if none).
 */
public record JobSpec(int id, List<String> command, Map<String, String> env, Path cwd, int rows, int cols,
                      String name) {
    public JobSpec {
        command = List.copyOf(command);
        if (env == null) env = Map.of();
    }

    @Override
    public String toString() {
        // the environment may hold secrets: keep it out of logs
        return "JobSpec[id=" + id + ", command=" + command + ", cwd=" + cwd + ", " + rows + "x" + cols
                + (name == null ? "" : ", name=" + name) + "]";
    }
}
