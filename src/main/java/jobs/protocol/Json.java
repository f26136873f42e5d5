package jobs.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one Gson. It owns the {@code type} discriminator and the protocol version {@code v} that
 * every frame carries, so a peer from another version is told so instead of misread.
 */
public final class Json {
    public static final int PROTOCOL_VERSION = 1;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Map<String, Class<? extends Message>> TYPES = new HashMap<>();

    static {
        for (Class<?> family : Message.class.getPermittedSubclasses()) {
            for (Class<?> c : family.getPermittedSubclasses()) {
                @SuppressWarnings("unchecked")
                Class<? extends Message> m = (Class<? extends Message>) c;
                TYPES.put(typeName(m), m);
            }
        }
    }

    private Json() {}

    static String typeName(Class<?> c) {
        String family = c.getEnclosingClass().getSimpleName();
        return family + "." + c.getSimpleName();
    }

    public static String encode(Message m) {
        JsonObject o = GSON.toJsonTree(m).getAsJsonObject();
        o.addProperty("type", typeName(m.getClass()));
        o.addProperty("v", PROTOCOL_VERSION);
        return GSON.toJson(o);
    }

    public static Message decode(String text) throws IOException {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new IOException("bad frame: not a JSON object");
            o = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("bad frame: not JSON");
        }
        JsonElement v = o.get("v");
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new IOException("bad frame: no protocol version");
        }
        if (v.getAsInt() != PROTOCOL_VERSION) {
            throw new IOException("protocol version " + v.getAsInt() + " is not " + PROTOCOL_VERSION
                    + " (client and daemon are different versions: run 'jobs kill-server')");
        }
        JsonElement t = o.get("type");
        Class<? extends Message> c = t != null && t.isJsonPrimitive() ? TYPES.get(t.getAsString()) : null;
        if (c == null) throw new IOException("bad frame: unknown type " + (t == null ? "(none)" : t));
        try {
            Message m = GSON.fromJson(o, c);
            if (m == null) throw new IOException("bad frame: empty " + c.getSimpleName());
            return m;
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException
                 | UnsupportedOperationException | ClassCastException e) {
            throw new IOException("bad frame: malformed " + typeName(c));
        }
    }

    /** For output meant for people and scripts (list --json), not for frames. */
    public static Gson gson() {
        return GSON;
    }
}
