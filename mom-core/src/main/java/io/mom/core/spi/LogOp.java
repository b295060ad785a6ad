package io.mom.core.spi;

import io.mom.core.DestinationType;
import io.mom.core.Message;

import java.util.List;
import java.util.Objects;

/**
 * One operation of the broker's log, as written to a {@link MessageStore} and shipped to replicas.
 * Operations of one {@link MessageStore#write} call are applied in order and atomically where the
 * store can (RocksDB: one write batch).
 */
public sealed interface LogOp {

    /** Creates or replaces a destination in the catalog. */
    record PutDestination(DestinationRecord destination) implements LogOp {
        public PutDestination {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** Removes a destination with all its subscriptions and messages. */
    record DeleteDestination(DestinationType type, String name) implements LogOp {
        public DeleteDestination {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
        }
    }

    /** Creates or replaces a subscription of a topic. */
    record PutSubscription(SubscriptionRecord subscription) implements LogOp {
        public PutSubscription {
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    /** Removes a subscription; the broker writes the acks or removals of its pending messages beside it. */
    record DeleteSubscription(String topic, String subscription) implements LogOp {
        public DeleteSubscription {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    /**
     * Stores a message, pending for the given subscriptions (the queue's one subscription, or every
     * subscription of the topic at publish time).
     */
    record Append(Message message, List<String> subscriptions) implements LogOp {
        public Append {
            Objects.requireNonNull(message, "message");
            subscriptions = List.copyOf(subscriptions);
        }
    }

    /** One subscription is done with a message that other subscriptions still need. */
    record Ack(String destination, String subscription, int partition, long sequence) implements LogOp {
        public Ack {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    /** Every subscription is done with a message (acked, expired, dropped, moved): forget it. */
    record Remove(String destination, int partition, long sequence) implements LogOp {
        public Remove {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** The delivery count of a message for a subscription; may be written lazily (without waiting). */
    record DeliveryCount(String destination, String subscription, int partition, long sequence, int count)
            implements LogOp {
        public DeliveryCount {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(subscription, "subscription");
        }
    }
}
