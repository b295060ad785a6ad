package io.mom.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a topic subscription; each absent value falls back to the topic's own option.
 *
 * @param ackTimeout    lease of a delivery, 100 ms .. 12 h
 * @param maxDeliveries deliveries before dead-lettering, 1..1000
 */
public record SubscriptionOptions(Optional<Duration> ackTimeout, Optional<Integer> maxDeliveries) {

    /** No option set: the topic's options apply. */
    public static final SubscriptionOptions DEFAULTS = new SubscriptionOptions(Optional.empty(), Optional.empty());

    public SubscriptionOptions {
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(maxDeliveries, "maxDeliveries");
    }

    /** Options with the given values; {@code null} leaves a value to the topic. */
    public static SubscriptionOptions of(Duration ackTimeout, Integer maxDeliveries) {
        return new SubscriptionOptions(Optional.ofNullable(ackTimeout), Optional.ofNullable(maxDeliveries));
    }
}
