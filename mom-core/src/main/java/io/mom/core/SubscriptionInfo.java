package io.mom.core;

import java.time.Instant;

/**
 * A snapshot of a subscription.
 *
 * @param pending   messages not yet acked by this subscription (ready and in flight)
 * @param inFlight  deliveries awaiting an ack
 * @param consumers open push consumers plus waiting pulls
 */
public record SubscriptionInfo(SubscriptionRef ref, String owner, SubscriptionOptions options, Instant createdAt,
                               long pending, long inFlight, int consumers) {
}
