package io.mom.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as a producer hands it to the broker.
 *
 * @param id      producer-chosen id; a second publish with the same id to the same destination within
 *                5 minutes is acknowledged with that id and stored once
 * @param payload the bytes (not copied: the caller must not modify them afterwards)
 * @param headers string headers
 * @param key     routing key: messages with the same key go to the same partition
 * @param ttl     time to live, overriding the destination's
 */
public record OutgoingMessage(Optional<String> id, byte[] payload, Map<String, String> headers,
                              Optional<String> key, Optional<Duration> ttl) {
    public OutgoingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
    }

    public static OutgoingMessage of(byte[] payload) {
        return new OutgoingMessage(Optional.empty(), payload, Map.of(), Optional.empty(), Optional.empty());
    }

    public static OutgoingMessage of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Builder builder(byte[] payload) {
        return new Builder(payload);
    }

    /** Builder for messages with ids, headers, keys or a time to live. */
    public static final class Builder {
        private final byte[] payload;
        private String id;
        private Map<String, String> headers = Map.of();
        private String key;
        private Duration ttl;

        private Builder(byte[] payload) {
            this.payload = payload;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder headers(Map<String, String> headers) {
            this.headers = headers;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public OutgoingMessage build() {
            return new OutgoingMessage(Optional.ofNullable(id), payload, headers, Optional.ofNullable(key),
                    Optional.ofNullable(ttl));
        }
    }
}
