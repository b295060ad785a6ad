package io.mom.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to publish: a text or binary payload, optional producer-chosen id, headers, routing key
 * and time to live. Immutable and thread-safe; the payload is copied in and out.
 *
 * <pre>{@code
 * client.publish(Destination.queue("orders"), OutgoingMessage.text("hello"));
 * client.publish(Destination.queue("orders"), OutgoingMessage.builder().bytes(data)
 *         .id("order-42").header("type", "created").key("customer-7").ttl(Duration.ofMinutes(5)).build());
 * }</pre>
 *
 * <p>A producer-chosen id makes a retry safe: a second publish of the same id to the same destination
 * within 5 minutes is acknowledged with that id and stored once.
 */
public final class OutgoingMessage {
    private final byte[] payload;
    private final boolean text;
    private final Optional<String> id;
    private final Map<String, String> headers;
    private final Optional<String> key;
    private final Optional<Duration> ttl;

    private OutgoingMessage(Builder b) {
        this.payload = b.payload.clone();
        this.text = b.text;
        this.id = Optional.ofNullable(b.id);
        this.headers = Map.copyOf(b.headers);
        this.key = Optional.ofNullable(b.key);
        this.ttl = Optional.ofNullable(b.ttl);
    }

    /** A message with a UTF-8 text payload and nothing else. */
    public static OutgoingMessage text(String text) {
        return builder().text(text).build();
    }

    /** A message with a binary payload and nothing else. */
    public static OutgoingMessage bytes(byte[] payload) {
        return builder().bytes(payload).build();
    }

    /** A builder; set a payload with {@link Builder#text} or {@link Builder#bytes} before {@link Builder#build}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The payload bytes (a copy). */
    public byte[] payload() {
        return payload.clone();
    }

    /** True when the payload was given as text (sent as {@code payload}); false for bytes ({@code payloadBase64}). */
    public boolean isText() {
        return text;
    }

    /** The payload decoded as UTF-8. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The producer-chosen id, if any. */
    public Optional<String> id() {
        return id;
    }

    /** The headers (immutable). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The routing key: messages with the same key go to the same partition. */
    public Optional<String> key() {
        return key;
    }

    /** The time to live, overriding the destination's. */
    public Optional<Duration> ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + payload.length + " bytes" + id.map(i -> ", id=" + i).orElse("")
                + key.map(k -> ", key=" + k).orElse("") + (headers.isEmpty() ? "" : ", headers=" + headers) + "]";
    }

    /** Builds an {@link OutgoingMessage}; not thread-safe. */
    public static final class Builder {
        private byte[] payload;
        private boolean text;
        private String id;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String key;
        private Duration ttl;

        private Builder() {
        }

        /** A UTF-8 text payload. */
        public Builder text(String text) {
            this.payload = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
            this.text = true;
            return this;
        }

        /** A binary payload (copied). */
        public Builder bytes(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload").clone();
            this.text = false;
            return this;
        }

        /** A producer-chosen id (deduplicated by the server for 5 minutes). */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Adds or replaces one header. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds or replaces the given headers. */
        public Builder headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder ttl(Duration ttl) {
            if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
                throw new IllegalArgumentException("ttl must be positive: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** The message; {@link IllegalStateException} when no payload was set. */
        public OutgoingMessage build() {
            if (payload == null) {
                throw new IllegalStateException("no payload: call text(...) or bytes(...)");
            }
            return new OutgoingMessage(this);
        }
    }
}
