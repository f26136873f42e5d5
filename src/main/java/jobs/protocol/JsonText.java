package jobs.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

/**
 * JSON text to and from gson's tree through its streaming reader and writer alone. A Gson
 * instance, or JsonParser, sets up gson's whole adapter table on first use (some 120 classes):
 * a few milliseconds of every client's start, and more for each class the AOT cache must load.
 * Reading is what JsonParser does (lenient, numbers kept as written, the whole text consumed);
 * writing is what Gson.toJson of a tree does without HTML escaping, nulls written.
 */
public final class JsonText {
    private JsonText() {}

    /** The tree of one JSON document; IOException for anything that is not one. */
    public static JsonElement parse(String text) throws IOException {
        JsonReader in = new JsonReader(new StringReader(text));
        in.setStrictness(Strictness.LENIENT);
        JsonElement e = read(in);
        if (in.peek() != JsonToken.END_DOCUMENT) throw new IOException("text after the JSON document");
        return e;
    }

    public static String write(JsonElement e) {
        StringWriter text = new StringWriter();
        try {
            JsonWriter out = new JsonWriter(text);
            out.setStrictness(Strictness.LENIENT);
            write(out, e);
            out.flush();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** Recursion is bounded: the reader refuses nesting deeper than its limit (255). */
    private static JsonElement read(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.BEGIN_OBJECT) {
            JsonObject o = new JsonObject();
            in.beginObject();
            while (in.hasNext()) o.add(in.nextName(), read(in));
            in.endObject();
            return o;
        }
        if (token == JsonToken.BEGIN_ARRAY) {
            JsonArray a = new JsonArray();
            in.beginArray();
            while (in.hasNext()) a.add(read(in));
            in.endArray();
            return a;
        }
        if (token == JsonToken.STRING) return new JsonPrimitive(in.nextString());
        if (token == JsonToken.NUMBER) return new JsonPrimitive(new LazilyParsedNumber(in.nextString()));
        if (token == JsonToken.BOOLEAN) return new JsonPrimitive(in.nextBoolean());
        if (token == JsonToken.NULL) {
            in.nextNull();
            return JsonNull.INSTANCE;
        }
        throw new IOException("unexpected " + token);
    }

    private static void write(JsonWriter out, JsonElement e) throws IOException {
        if (e == null || e.isJsonNull()) {
            out.nullValue();
        } else if (e.isJsonObject()) {
            out.beginObject();
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                out.name(m.getKey());
                write(out, m.getValue());
            }
            out.endObject();
        } else if (e.isJsonArray()) {
            out.beginArray();
            for (JsonElement x : e.getAsJsonArray()) write(out, x);
            out.endArray();
        } else {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) out.value(p.getAsNumber());
            else if (p.isBoolean()) out.value(p.getAsBoolean());
            else out.value(p.getAsString());
        }
    }
}
