package jobs.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;

/**
 * Frames' JSON. It owns the {@code type} discriminator and the protocol version {@code v} that
 * every frame carries, so a peer from another version is told so instead of misread.
 */
public final class Json {
    /**
     * The version this build speaks. The property exists for the upgrade tests only: it makes a
     * real build of the next protocol version (a client, and the daemons it starts) out of this one.
     */
    public static final int PROTOCOL_VERSION = Integer.getInteger("jobs.protocol.version", 3);

    private Json() {}

    static String typeName(Class<?> c) {
        String family = c.getEnclosingClass().getSimpleName();
        return family + "." + c.getSimpleName();
    }

    public static String encode(Message m) {
        JsonObject o = MessageTrees.toTree(m);
        o.addProperty("type", typeName(m.getClass()));
        o.addProperty("v", PROTOCOL_VERSION);
        return JsonText.write(o);
    }

    public static Message decode(String text) throws IOException {
        JsonObject o;
        JsonElement e;
        try {
            e = JsonText.parse(text);
        } catch (IOException | RuntimeException notJson) {
            throw new IOException("bad frame: not JSON");
        }
        if (!e.isJsonObject()) throw new IOException("bad frame: not a JSON object");
        o = e.getAsJsonObject();
        JsonElement v = o.get("v");
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new IOException("bad frame: no protocol version");
        }
        JsonElement t = o.get("type");
        String type = t != null && t.isJsonPrimitive() ? t.getAsString() : null;
        // runners outlive daemons: their messages are a contract of their own (see RunnerMessage.Adopt);
        // so is restart-server, the way from a daemon of one version to the next
        boolean runnerContract = type != null && (type.startsWith("RunnerMessage.") || type.equals("Request.RestartServer"));
        if (v.getAsInt() != PROTOCOL_VERSION && !runnerContract && !VersionMismatch.understood(type)) {
            throw new VersionMismatch(v.getAsInt(), type);
        }
        Message m;
        try {
            m = type == null ? null : MessageTrees.fromTree(type, o);
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException
                 | UnsupportedOperationException | ClassCastException malformed) {
            throw new IOException("bad frame: malformed " + type);
        }
        if (m == null) throw new IOException("bad frame: unknown type " + (t == null ? "(none)" : t));
        return m;
    }
}
