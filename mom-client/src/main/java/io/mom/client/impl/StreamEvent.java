package io.mom.client.impl;

import java.util.Objects;
import java.util.Optional;

/**
 * One event of a push stream: a delivery, or the notice that the source was deleted (the last event).
 *
 * @param delivery the delivery; empty for a deleted notice
 */
public record StreamEvent(Optional<Delivery> delivery) {
    public StreamEvent {
        Objects.requireNonNull(delivery, "delivery");
    }

    public static StreamEvent message(Delivery delivery) {
        return new StreamEvent(Optional.of(delivery));
    }

    public static StreamEvent deleted() {
        return new StreamEvent(Optional.empty());
    }

    public boolean isDeleted() {
        return delivery.isEmpty();
    }
}
