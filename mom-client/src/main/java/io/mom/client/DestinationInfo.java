package io.mom.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of a queue or topic as the server reported it.
 *
 * @param destination   the queue or topic
 * @param owner         the user who created it
 * @param partitions    number of partitions
 * @param depth         messages stored and not yet acked (queues; 0 when not reported)
 * @param inFlight      deliveries awaiting an ack (queues; 0 when not reported)
 * @param consumers     open push streams plus waiting receives (queues; 0 when not reported)
 * @param subscriptions subscriptions of a topic (0 for a queue)
 * @param createdAt     creation time ({@link Instant#EPOCH} when not reported)
 * @param options       the options the server reported (only {@link MomClient#describe} reports them;
 *                      unreported values are empty)
 */
public record DestinationInfo(Destination destination, String owner, int partitions, long depth, long inFlight,
                              int consumers, int subscriptions, Instant createdAt, DestinationOptions options) {
    public DestinationInfo {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(options, "options");
    }

    /** The destination name. */
    public String name() {
        return destination.name();
    }
}
