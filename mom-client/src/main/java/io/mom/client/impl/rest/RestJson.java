package io.mom.client.impl.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.mom.client.AckResult;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.OutgoingMessage;
import io.mom.client.Overflow;
import io.mom.client.Page;
import io.mom.client.Session;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.UserInfo;
import io.mom.client.impl.Delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps client values to and from the JSON of API v1. Decoding is lenient: absent optional fields
 * get neutral values (0, empty, {@link Instant#EPOCH}) and unknown fields are ignored, so a newer
 * server that adds fields keeps working. Stateless.
 */
final class RestJson {
    private RestJson() {
    }

    static JsonObject message(OutgoingMessage m) {
        JsonObject o = new JsonObject();
        m.id().ifPresent(id -> o.addProperty("id", id));
        if (m.isText()) {
            o.addProperty("payload", m.payloadText());
        } else {
            o.addProperty("payloadBase64", Base64.getEncoder().encodeToString(m.payload()));
        }
        if (!m.headers().isEmpty()) {
            JsonObject h = new JsonObject();
            m.headers().forEach(h::addProperty);
            o.add("headers", h);
        }
        m.key().ifPresent(k -> o.addProperty("key", k));
        m.ttl().ifPresent(t -> o.addProperty("ttlMs", t.toMillis()));
        return o;
    }

    static JsonObject batch(List<OutgoingMessage> messages) {
        JsonArray a = new JsonArray();
        messages.forEach(m -> a.add(message(m)));
        JsonObject o = new JsonObject();
        o.add("messages", a);
        return o;
    }

    static JsonObject options(DestinationOptions options) {
        JsonObject o = new JsonObject();
        options.partitions().ifPresent(v -> o.addProperty("partitions", v));
        options.ackTimeout().ifPresent(v -> o.addProperty("ackTimeoutMs", v.toMillis()));
        options.maxDeliveries().ifPresent(v -> o.addProperty("maxDeliveries", v));
        options.ttl().ifPresent(v -> o.addProperty("ttlMs", v.toMillis()));
        options.maxLength().ifPresent(v -> o.addProperty("maxLength", v));
        options.overflow().ifPresent(v -> o.addProperty("overflow", v.wireName()));
        return o;
    }

    static JsonObject options(SubscriptionOptions options) {
        JsonObject o = new JsonObject();
        options.ackTimeout().ifPresent(v -> o.addProperty("ackTimeoutMs", v.toMillis()));
        options.maxDeliveries().ifPresent(v -> o.addProperty("maxDeliveries", v));
        return o;
    }

    static JsonObject strings(String field, List<String> values) {
        JsonObject o = new JsonObject();
        o.add(field, array(values));
        return o;
    }

    static JsonArray array(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    static Session session(JsonObject o) {
        return new Session(requiredString(o, "token"), instant(o.get("expiresAt"), Instant.MAX));
    }

    static UserInfo user(JsonObject o) {
        return new UserInfo(requiredString(o, "username"), stringList(o.get("roles")));
    }

    static Delivery delivery(JsonObject o) {
        byte[] payload;
        if (has(o, "payload")) {
            payload = o.get("payload").getAsString().getBytes(StandardCharsets.UTF_8);
        } else if (has(o, "payloadBase64")) {
            payload = Base64.getDecoder().decode(o.get("payloadBase64").getAsString());
        } else {
            payload = new byte[0];
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (has(o, "headers")) {
            o.getAsJsonObject("headers").entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().getAsString()));
        }
        return new Delivery(requiredString(o, "id"), payload, headers, optionalString(o, "key"),
                has(o, "ttlMs") ? Optional.of(Duration.ofMillis(o.get("ttlMs").getAsLong())) : Optional.empty(),
                optionalString(o, "sender").orElse(""), instant(o.get("publishedAt"), Instant.EPOCH),
                has(o, "deliveryCount") ? o.get("deliveryCount").getAsInt() : 1, optionalString(o, "receipt"));
    }

    static List<Delivery> deliveries(JsonObject o) {
        List<Delivery> out = new ArrayList<>();
        if (has(o, "messages")) {
            o.getAsJsonArray("messages").forEach(e -> out.add(delivery(e.getAsJsonObject())));
        }
        return out;
    }

    static DestinationInfo destination(DestinationType type, JsonObject o) {
        JsonObject opts = has(o, "options") && o.get("options").isJsonObject() ? o.getAsJsonObject("options") : o;
        DestinationOptions.Builder b = DestinationOptions.builder();
        if (has(opts, "partitions")) {
            b.partitions(opts.get("partitions").getAsInt());
        }
        if (has(opts, "ackTimeoutMs")) {
            b.ackTimeout(Duration.ofMillis(opts.get("ackTimeoutMs").getAsLong()));
        }
        if (has(opts, "maxDeliveries")) {
            b.maxDeliveries(opts.get("maxDeliveries").getAsInt());
        }
        if (has(opts, "ttlMs")) {
            b.ttl(Duration.ofMillis(opts.get("ttlMs").getAsLong()));
        }
        if (has(opts, "maxLength")) {
            b.maxLength(opts.get("maxLength").getAsLong());
        }
        if (has(opts, "overflow")) {
            b.overflow(Overflow.fromWireName(opts.get("overflow").getAsString()));
        }
        return new DestinationInfo(new Destination(type, requiredString(o, "name")), optionalString(o, "owner").orElse(""),
                (int) number(o, "partitions", 1), number(o, "depth", 0), number(o, "inFlight", 0),
                (int) number(o, "consumers", 0), (int) number(o, "subscriptions", 0),
                instant(o.get("createdAt"), Instant.EPOCH), b.build());
    }

    static Page<DestinationInfo> destinations(DestinationType type, JsonObject o) {
        List<DestinationInfo> items = new ArrayList<>();
        if (has(o, "items")) {
            o.getAsJsonArray("items").forEach(e -> items.add(destination(type, e.getAsJsonObject())));
        }
        return new Page<>(items, optionalString(o, "next").filter(s -> !s.isEmpty()));
    }

    static List<SubscriptionInfo> subscriptions(String topic, JsonObject o) {
        List<SubscriptionInfo> items = new ArrayList<>();
        if (has(o, "items")) {
            for (JsonElement e : o.getAsJsonArray("items")) {
                JsonObject s = e.getAsJsonObject();
                items.add(new SubscriptionInfo(topic, requiredString(s, "name"), optionalString(s, "owner").orElse(""),
                        number(s, "pending", 0), number(s, "inFlight", 0), (int) number(s, "consumers", 0)));
            }
        }
        return items;
    }

    /** An ack or nack answer; {@code countField} is {@code acked} or {@code nacked}. */
    static AckResult ackResult(JsonObject o, String countField) {
        return new AckResult((int) number(o, countField, 0), stringList(o.get("invalid")));
    }

    static List<String> ids(JsonObject o) {
        return stringList(o.get("ids"));
    }

    static List<String> stringList(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            e.getAsJsonArray().forEach(v -> out.add(v.getAsString()));
        }
        return out;
    }

    /** An ISO-8601 string, or a number of epoch milliseconds (or seconds when small). */
    static Instant instant(JsonElement e, Instant absent) {
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isNumber()) {
            long v = p.getAsLong();
            return v < 100_000_000_000L ? Instant.ofEpochSecond(v) : Instant.ofEpochMilli(v);
        }
        return Instant.parse(p.getAsString());
    }

    static boolean has(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull();
    }

    static Optional<String> optionalString(JsonObject o, String field) {
        return has(o, field) ? Optional.of(o.get(field).getAsString()) : Optional.empty();
    }

    static String requiredString(JsonObject o, String field) {
        if (!has(o, field)) {
            throw new IllegalArgumentException("response has no '" + field + "'");
        }
        return o.get(field).getAsString();
    }

    private static long number(JsonObject o, String field, long absent) {
        return has(o, field) ? o.get(field).getAsLong() : absent;
    }
}
