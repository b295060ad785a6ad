package io.mom.core;

import java.util.Objects;

/**
 * Names what a consumer attaches to: a queue (its one implicit subscription) or a named
 * subscription of a topic.
 *
 * @param destination  the queue or topic
 * @param subscription the subscription name; {@link #QUEUE_SUBSCRIPTION} for a queue
 */
public record SubscriptionRef(DestinationRef destination, String subscription) {
    /** Name of the implicit subscription of every queue. */
    public static final String QUEUE_SUBSCRIPTION = "$queue";

    public SubscriptionRef {
        Objects.requireNonNull(destination, "destination");
        if (destination.type() == DestinationType.QUEUE) {
            subscription = QUEUE_SUBSCRIPTION;
        } else {
            Names.require(subscription, "subscription");
        }
    }

    public static SubscriptionRef queue(String name) {
        return new SubscriptionRef(DestinationRef.queue(name), QUEUE_SUBSCRIPTION);
    }

    public static SubscriptionRef topic(String topic, String subscription) {
        return new SubscriptionRef(DestinationRef.topic(topic), subscription);
    }

    @Override
    public String toString() {
        return destination.type() == DestinationType.QUEUE ? destination.toString()
                : destination + "/" + subscription;
    }
}
