package io.mom.transport.rest.internal.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.internal.http.Problem;

import java.nio.charset.StandardCharsets;

/** Serialisation of response bodies: compact JSON, nulls kept, no HTML escaping. Thread-safe. */
public final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    public static String text(JsonElement element) {
        return GSON.toJson(element);
    }

    public static byte[] bytes(JsonElement element) {
        return text(element).getBytes(StandardCharsets.UTF_8);
    }

    public static JsonObject problem(Problem p) {
        JsonObject o = new JsonObject();
        o.addProperty("type", p.type());
        o.addProperty("title", p.title());
        o.addProperty("status", p.status());
        o.addProperty("detail", p.detail());
        o.addProperty("code", p.code());
        if (!p.committed().isEmpty()) {
            com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
            p.committed().forEach(ids::add);
            o.add("committed", ids);
        }
        return o;
    }
}
