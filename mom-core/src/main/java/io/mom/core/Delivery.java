package io.mom.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One delivery of a message to one consumer.
 *
 * @param subscription  where the delivery comes from
 * @param message       the message
 * @param deliveryCount 1 for the first delivery, +1 for each redelivery
 * @param receipt       identifies this delivery for ack/nack; absent for auto-ack deliveries.
 *                      A receipt is never valid for a later delivery of the same message.
 */
public record Delivery(SubscriptionRef subscription, Message message, int deliveryCount, Optional<String> receipt) {
    public Delivery {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(receipt, "receipt");
    }
}
