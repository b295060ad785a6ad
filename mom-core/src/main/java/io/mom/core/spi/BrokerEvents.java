package io.mom.core.spi;

import io.mom.core.CloseReason;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;

/**
 * What the broker tells observers (metrics, logs). Every method has a no-op default.
 *
 * <p>Threading: called from producer, consumer and store threads, concurrently, often on hot paths:
 * implementations must be thread-safe, fast and must not throw or block.
 */
public interface BrokerEvents {
    BrokerEvents NONE = new BrokerEvents() {
    };

    default void destinationCreated(DestinationRef destination, String owner) {
    }

    default void destinationDeleted(DestinationRef destination, String by) {
    }

    default void subscriptionCreated(SubscriptionRef subscription, String owner) {
    }

    default void subscriptionDeleted(SubscriptionRef subscription, String by) {
    }

    default void published(String destination, int count, long bytes) {
    }

    default void delivered(SubscriptionRef subscription, int count) {
    }

    default void acked(SubscriptionRef subscription, int count) {
    }

    default void redelivered(SubscriptionRef subscription, int count) {
    }

    default void deadLettered(SubscriptionRef subscription, String deadLetterQueue, int count) {
    }

    default void expired(String destination, int count) {
    }

    default void dropped(String destination, int count) {
    }

    default void consumerAttached(SubscriptionRef subscription, long consumerId) {
    }

    default void consumerDetached(SubscriptionRef subscription, long consumerId, CloseReason reason) {
    }

    default void storeCommitted(int operations, long nanos) {
    }

    default void replicationLag(String destination, int partition, long operations) {
    }
}
