package io.mom.client.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery as a transport decoded it, before {@link RemoteMomClient} binds it to its source and
 * acker as a {@link io.mom.client.Message}. The payload array is owned by the record.
 */
public record Delivery(String id, byte[] payload, Map<String, String> headers, Optional<String> key,
                       Optional<Duration> ttl, String sender, Instant publishedAt, int deliveryCount,
                       Optional<String> receipt) {
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(receipt, "receipt");
    }
}
