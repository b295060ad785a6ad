package io.mom.core.spi;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;

import java.time.Instant;
import java.util.Objects;

/** A destination as the catalog stores it. */
public record DestinationRecord(DestinationType type, String name, String owner, DestinationOptions options,
                                Instant createdAt) {
    public DestinationRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
