package io.mom.core.spi;

import io.mom.core.SubscriptionOptions;

import java.time.Instant;
import java.util.Objects;

/** A topic subscription as the catalog stores it (queues have no record: their subscription is implicit). */
public record SubscriptionRecord(String topic, String name, String owner, SubscriptionOptions options,
                                 Instant createdAt) {
    public SubscriptionRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
