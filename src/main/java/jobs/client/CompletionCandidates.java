package jobs.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jobs.protocol.JobInfo;
import jobs.protocol.JsonText;

/**
 * What the shells' completion offers for a job: one line per candidate, {@code WORD<TAB>COMMAND}.
 * It reads the jobs as {@code jobs list --json} shows them, so any field that JSON gains (a
 * job's {@code name}) is offered here too without a second description of a job.
 */
final class CompletionCandidates {
    private CompletionCandidates() {}

    static String of(List<JobInfo> jobs) {
        StringBuilder out = new StringBuilder();
        JsonElement all;
        try {
            all = JsonText.parse(ListView.json(jobs));
        } catch (IOException e) {
            return "";
        }
        for (JsonElement e : all.getAsJsonArray()) {
            JsonObject job = e.getAsJsonObject();
            String command = command(job);
            out.append(job.get("id").getAsInt()).append('\t').append(command).append('\n');
            JsonElement name = job.get("name");
            if (name != null && name.isJsonPrimitive() && !name.getAsString().isBlank()) {
                out.append(clean(name.getAsString())).append('\t').append(command).append('\n');
            }
        }
        return out.toString();
    }

    private static String command(JsonObject job) {
        List<String> words = new ArrayList<>();
        JsonElement c = job.get("command");
        if (c != null && c.isJsonArray()) c.getAsJsonArray().forEach(w -> words.add(w.getAsString()));
        return clean(String.join(" ", words));
    }

    /** One line, one field: a tab or newline in a command would split the candidate. */
    private static String clean(String s) {
        return s.replaceAll("[\\t\\n\\r]", " ");
    }

    static byte[] bytes(List<JobInfo> jobs) {
        return of(jobs).getBytes(StandardCharsets.UTF_8);
    }
}
