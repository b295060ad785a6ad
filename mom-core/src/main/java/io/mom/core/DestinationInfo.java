package io.mom.core;

import java.time.Instant;

/**
 * A snapshot of a destination.
 *
 * @param depth         messages stored and not yet acked by every subscription
 * @param inFlight      deliveries awaiting an ack
 * @param consumers     open push consumers plus waiting pulls
 * @param subscriptions subscriptions (1 for a queue)
 */
public record DestinationInfo(DestinationRef ref, String owner, DestinationOptions options, Instant createdAt,
                              long depth, long inFlight, int consumers, int subscriptions) {
}
