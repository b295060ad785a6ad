package io.mom.transport.rest.internal.http;

import com.google.gson.JsonElement;
import io.mom.transport.rest.internal.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A complete HTTP answer decided by an endpoint: status, content type, body and extra headers.
 * {@link #TAKEN_OVER} means the endpoint answers the exchange itself (server-sent events).
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String PROBLEM_JSON = "application/problem+json";

    /** Marker: the endpoint has taken the exchange over and will end it itself. */
    public static final Reply TAKEN_OVER = new Reply(0, "", new byte[0], Map.of());

    public Reply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static Reply json(int status, JsonElement body) {
        return new Reply(status, JSON, Json.bytes(body), Map.of());
    }

    public static Reply noContent() {
        return new Reply(204, "", new byte[0], Map.of());
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, Map.of());
    }

    public static Reply problem(Problem p) {
        return new Reply(p.status(), PROBLEM_JSON, Json.bytes(Json.problem(p)), Map.of());
    }

    public Reply withHeader(String name, String value) {
        java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h);
    }
}
