package jobs.daemon;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jobs.protocol.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting jobs, the queues' settings and which running job belongs to which queue, in one
 * file ({@code queues.json}) that a later daemon reads: waiting jobs have no runner to keep them
 * across a crash. Written whole to a temporary file, forced to disk and renamed over the old
 * one, so that a reader sees the old state or the new one, never half of either. Mode 0600:
 * it holds the jobs' environments.
 */
final class SchedulerStore {
    private static final Logger log = LoggerFactory.getLogger(SchedulerStore.class);

    /** What the file holds. */
    record State(Map<String, Schedule.QueueSetting> queues, List<Saved> waiting, Map<Integer, String> members) {
        static final State EMPTY = new State(Map.of(), List.of(), Map.of());
    }

    /** A waiting job as written: its order, and what it waits for. */
    record Saved(int id, RunOrder order, String queue, List<Integer> after, Instant startAt, String cancelled,
                 Instant cancelledAt) {}

    private final Path file;

    SchedulerStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    State read() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException none) {
            return State.EMPTY;
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.toString());
            return State.EMPTY;
        }
        try {
            return SavedTrees.state(JsonText.parse(text).getAsJsonObject());
        } catch (IOException | RuntimeException e) {
            log.error("{} is unreadable, waiting jobs are lost: {}", file, e.toString());
            return State.EMPTY;
        }
    }

    void write(State s) {
        byte[] bytes = JsonText.write(SavedTrees.tree(s)).getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.error("cannot save the waiting jobs to {}: {}", file, e.toString());
        }
    }

    /** kill-server: nothing waits any more. */
    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    /** The file's JSON, by hand: a RunOrder holds a Path, which gson's reflection cannot write. */
    static final class SavedTrees {
        private SavedTrees() {}

        static JsonObject tree(State s) {
            JsonObject o = new JsonObject();
            JsonObject queues = new JsonObject();
            s.queues().forEach((name, q) -> {
                JsonObject x = new JsonObject();
                x.addProperty("parallel", q.parallel());
                x.addProperty("paused", q.paused());
                queues.add(name, x);
            });
            o.add("queues", queues);
            JsonArray waiting = new JsonArray();
            for (Saved w : s.waiting()) waiting.add(saved(w));
            o.add("waiting", waiting);
            JsonObject members = new JsonObject();
            s.members().forEach((id, q) -> members.addProperty(Integer.toString(id), q));
            o.add("members", members);
            return o;
        }

        private static JsonObject saved(Saved w) {
            JsonObject x = new JsonObject();
            RunOrder r = w.order();
            x.addProperty("id", w.id());
            JsonArray command = new JsonArray();
            r.command().forEach(command::add);
            x.add("command", command);
            JsonObject env = new JsonObject();
            r.env().forEach(env::addProperty);
            x.add("env", env);
            x.addProperty("cwd", r.cwd().toString());
            x.addProperty("rows", r.rows());
            x.addProperty("cols", r.cols());
            if (r.name() != null) x.addProperty("name", r.name());
            if (w.queue() != null) x.addProperty("queue", w.queue());
            JsonArray after = new JsonArray();
            w.after().forEach(after::add);
            x.add("after", after);
            if (w.startAt() != null) x.addProperty("startAt", w.startAt().toString());
            if (w.cancelled() != null) x.addProperty("cancelled", w.cancelled());
            if (w.cancelledAt() != null) x.addProperty("cancelledAt", w.cancelledAt().toString());
            return x;
        }

        static State state(JsonObject o) {
            Map<String, Schedule.QueueSetting> queues = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("queues").entrySet()) {
                JsonObject q = e.getValue().getAsJsonObject();
                queues.put(e.getKey(), new Schedule.QueueSetting(q.get("parallel").getAsInt(), q.get("paused").getAsBoolean()));
            }
            List<Saved> waiting = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("waiting")) waiting.add(saved(e.getAsJsonObject()));
            Map<Integer, String> members = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("members").entrySet()) {
                members.put(Integer.parseInt(e.getKey()), e.getValue().getAsString());
            }
            return new State(queues, waiting, members);
        }

        private static Saved saved(JsonObject x) {
            List<String> command = new ArrayList<>();
            x.getAsJsonArray("command").forEach(c -> command.add(c.getAsString()));
            Map<String, String> env = new LinkedHashMap<>();
            x.getAsJsonObject("env").entrySet().forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
            RunOrder order = new RunOrder(command, env, Path.of(x.get("cwd").getAsString()), x.get("rows").getAsInt(),
                    x.get("cols").getAsInt(), text(x, "name"), true);
            List<Integer> after = new ArrayList<>();
            x.getAsJsonArray("after").forEach(a -> after.add(a.getAsInt()));
            String startAt = text(x, "startAt");
            String cancelledAt = text(x, "cancelledAt");
            return new Saved(x.get("id").getAsInt(), order, text(x, "queue"), after,
                    startAt == null ? null : Instant.parse(startAt), text(x, "cancelled"),
                    cancelledAt == null ? null : Instant.parse(cancelledAt));
        }

        private static String text(JsonObject x, String name) {
            JsonElement e = x.get(name);
            return e == null || e.isJsonNull() ? null : e.getAsString();
        }
    }
}
