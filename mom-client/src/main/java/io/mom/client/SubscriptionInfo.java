package io.mom.client;

import java.util.Objects;

/**
 * A snapshot of a topic subscription.
 *
 * @param topic     the topic
 * @param name      the subscription name
 * @param owner     the user who created it
 * @param pending   messages not yet acked by this subscription (ready and in flight)
 * @param inFlight  deliveries awaiting an ack
 * @param consumers open push streams plus waiting receives
 */
public record SubscriptionInfo(String topic, String name, String owner, long pending, long inFlight, int consumers) {
    public SubscriptionInfo {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
    }

    /** The source to receive from this subscription. */
    public Source source() {
        return Source.subscription(topic, name);
    }
}
