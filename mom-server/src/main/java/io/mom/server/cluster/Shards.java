package io.mom.server.cluster;

import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Message;
import io.mom.core.Names;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionRef;

import java.util.Optional;

/**
 * How a partitioned destination of a cluster maps onto its shards, and back. Partition {@code p} of
 * {@code orders} is the single-partition destination {@code orders~p} on the partition's leader
 * ({@code orders.dlq} is spread the same way over {@code orders~p.dlq}). Clients never see shard
 * names: messages come back with the client's destination name and their partition index, and a
 * receipt carries its partition ({@code <p>~<shard receipt>}) so that an ack finds its shard.
 * Stateless and thread-safe.
 */
final class Shards {
    private Shards() {
    }

    /** The shard of a client's destination (or of its dead-letter queue) hosting partition {@code p}. */
    static DestinationRef ref(DestinationRef destination, int partition) {
        String name = destination.name();
        String shard = Names.isDeadLetter(name)
                ? Names.deadLetterOf(Names.shard(LeaderRouter.baseOf(name), partition))
                : Names.shard(name, partition);
        return new DestinationRef(destination.type(), shard);
    }

    static SubscriptionRef ref(SubscriptionRef subscription, int partition) {
        return new SubscriptionRef(ref(subscription.destination(), partition), subscription.subscription());
    }

    /**
     * The options each shard is declared with: one partition, the destination's other options, and its
     * {@code maxLength} shared out (rounded up), so the whole destination holds about that many.
     */
    static DestinationOptions options(DestinationOptions options) {
        DestinationOptions.Builder shard = options.toBuilder().partitions(1);
        options.maxLength().ifPresent(max -> shard.maxLength((max + options.partitions() - 1) / options.partitions()));
        return shard.build();
    }

    /**
     * The partition a message goes to: by its key's hash; else by its id's hash, so that a producer
     * retrying with the same id reaches the same shard and its dedup window; else {@code roundRobin}.
     */
    static int partitionOf(OutgoingMessage message, int partitions, int roundRobin) {
        if (message.key().isPresent()) {
            return Math.floorMod(message.key().get().hashCode(), partitions);
        }
        if (message.id().isPresent()) {
            return Math.floorMod(message.id().get().hashCode(), partitions);
        }
        return Math.floorMod(roundRobin, partitions);
    }

    /** A shard's delivery as the client sees it: its destination, its partition, a receipt naming it. */
    static Delivery toClient(Delivery delivery, SubscriptionRef client, int partition) {
        Message m = delivery.message();
        Message shown = new Message(m.id(), client.destination().name(), partition, m.sequence(), m.payload(),
                m.headers(), m.key(), m.sender(), m.publishedAt(), m.expiresAt());
        return new Delivery(client, shown, delivery.deliveryCount(),
                delivery.receipt().map(r -> partition + "~" + r));
    }

    /** A receipt split into its partition and the shard's own receipt. */
    record Receipt(int partition, String shardReceipt) {
    }

    /** The partition and shard receipt of a client's receipt; empty when it names no partition below {@code partitions}. */
    static Optional<Receipt> receipt(String receipt, int partitions) {
        int sep = receipt == null ? -1 : receipt.indexOf('~');
        if (sep < 1 || sep > 2 || sep == receipt.length() - 1) {
            return Optional.empty();
        }
        int partition = 0;
        for (int i = 0; i < sep; i++) {
            char c = receipt.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            partition = partition * 10 + (c - '0');
        }
        return partition < partitions ? Optional.of(new Receipt(partition, receipt.substring(sep + 1)))
                : Optional.empty();
    }
}
