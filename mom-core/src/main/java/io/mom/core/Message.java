package io.mom.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored message: one copy, whatever the number of subscriptions that read it.
 * The payload array is owned by the message and must not be modified by anyone.
 *
 * @param id          unique id, stable across replicas and redeliveries
 * @param destination the queue or topic name
 * @param partition   partition index within the destination
 * @param sequence    position within the partition (increasing, gaps allowed)
 * @param payload     the bytes as published
 * @param headers     string headers (immutable)
 * @param key         routing key, if the producer set one
 * @param sender      the authenticated user who published it
 * @param publishedAt when the broker accepted it
 * @param expiresAt   when it expires, if it has a time to live
 */
public record Message(String id, String destination, int partition, long sequence, byte[] payload,
                      Map<String, String> headers, Optional<String> key, String sender,
                      Instant publishedAt, Optional<Instant> expiresAt) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** True when the message has a time to live that has passed at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }
}
