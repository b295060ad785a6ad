package io.mom.client;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a consumer receives from: a queue, or a named subscription of a topic. Pulls
 * ({@link MomClient#receive}), push subscriptions ({@link MomClient#subscribe}), acks and nacks name
 * a source.
 *
 * @param destination  the queue or topic
 * @param subscription the topic subscription; empty for a queue
 */
public record Source(Destination destination, Optional<String> subscription) {
    public Source {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(subscription, "subscription");
        if (destination.isQueue() && subscription.isPresent()) {
            throw new IllegalArgumentException("a queue has no named subscriptions");
        }
        if (!destination.isQueue() && subscription.isEmpty()) {
            throw new IllegalArgumentException("a topic source needs a subscription name");
        }
    }

    /** The queue of that name. */
    public static Source queue(String name) {
        return new Source(Destination.queue(name), Optional.empty());
    }

    /** The subscription {@code subscription} of the topic {@code topic}. */
    public static Source subscription(String topic, String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return new Source(Destination.topic(topic), Optional.of(subscription));
    }

    @Override
    public String toString() {
        return subscription.map(s -> destination + "/" + s).orElseGet(destination::toString);
    }
}
