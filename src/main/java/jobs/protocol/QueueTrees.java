package jobs.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The JSON trees of the queue messages (see MessageTrees, whose wire rules they follow). */
final class QueueTrees {
    private QueueTrees() {}

    /** Writes the fields of a queue message; false for any other message. */
    static boolean write(JsonObject o, Message m) {
        switch (m) {
            case Request.Queue q -> {
                MessageTrees.put(o, "name", q.name());
                MessageTrees.put(o, "parallel", q.parallel());
                o.addProperty("pause", q.pause());
                o.addProperty("resume", q.resume());
            }
            case Request.Start s -> MessageTrees.put(o, "job", s.job());
            case Request.Rerun r -> {
                MessageTrees.put(o, "job", r.job());
                o.addProperty("detached", r.detached());
                o.addProperty("rows", r.rows());
                o.addProperty("cols", r.cols());
            }
            case Event.Waiting w -> {
                o.addProperty("id", w.id());
                MessageTrees.put(o, "command", w.command());
                MessageTrees.put(o, "state", w.state());
            }
            case Event.Queues q -> {
                if (q.queues() == null) return true;
                JsonArray a = new JsonArray();
                for (QueueInfo i : q.queues()) {
                    JsonObject x = new JsonObject();
                    MessageTrees.put(x, "name", i.name());
                    x.addProperty("parallel", i.parallel());
                    x.addProperty("running", i.running());
                    x.addProperty("waiting", i.waiting());
                    x.addProperty("paused", i.paused());
                    a.add(x);
                }
                o.add("queues", a);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The queue message of that type, or null for a type that is not one. */
    static Message read(String type, JsonObject o) {
        return switch (type) {
            case "Request.Queue" -> new Request.Queue(MessageTrees.string(o, "name"), MessageTrees.boxed(o, "parallel"),
                    MessageTrees.bool(o, "pause"), MessageTrees.bool(o, "resume"));
            case "Request.Start" -> new Request.Start(MessageTrees.string(o, "job"));
            case "Request.Rerun" -> new Request.Rerun(MessageTrees.string(o, "job"), MessageTrees.bool(o, "detached"),
                    MessageTrees.integer(o, "rows"), MessageTrees.integer(o, "cols"));
            case "Event.Waiting" -> new Event.Waiting(MessageTrees.integer(o, "id"), MessageTrees.strings(o, "command"),
                    MessageTrees.string(o, "state"));
            case "Event.Queues" -> new Event.Queues(queues(o));
            default -> null;
        };
    }

    private static List<QueueInfo> queues(JsonObject o) {
        JsonElement e = o.get("queues");
        if (e == null || e.isJsonNull()) return null;
        List<QueueInfo> list = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            JsonObject q = x.getAsJsonObject();
            list.add(new QueueInfo(MessageTrees.string(q, "name"), MessageTrees.integer(q, "parallel"),
                    MessageTrees.integer(q, "running"), MessageTrees.integer(q, "waiting"), MessageTrees.bool(q, "paused")));
        }
        return list;
    }
}
