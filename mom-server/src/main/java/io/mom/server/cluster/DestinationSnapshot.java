package io.mom.server.cluster;

import io.mom.core.DestinationType;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The full state of one placed destination (the destination and its dead-letter queue), read from a
 * node's own store and expressed as log operations that recreate it on a follower: first the
 * deletion of whatever the follower holds under those names (the truncation), then the catalog
 * records, the subscriptions, and every stored message with its pending subscriptions and its
 * persisted delivery counts. Stateless; {@link #read} reads the whole store once (like
 * {@code CoreBroker.adopt}) and holds the destination's state in memory.
 */
final class DestinationSnapshot {
    private DestinationSnapshot() {
    }

    /** The operations that make a follower's copy of {@code base} equal to what {@code store} holds now. */
    static List<LogOp> read(MessageStore store, String base) {
        String dlq = base + ".dlq";
        List<LogOp> ops = new ArrayList<>();
        ops.add(new LogOp.DeleteDestination(DestinationType.QUEUE, base));
        ops.add(new LogOp.DeleteDestination(DestinationType.QUEUE, dlq));
        store.recover(new RecoveryVisitor() {
            @Override
            public void destination(DestinationRecord destination) {
                if (ours(destination.name())) {
                    ops.add(new LogOp.PutDestination(destination));
                }
            }

            @Override
            public void subscription(SubscriptionRecord subscription) {
                if (ours(subscription.topic())) {
                    ops.add(new LogOp.PutSubscription(subscription));
                }
            }

            @Override
            public void message(RecoveredMessage recovered) {
                var message = recovered.message();
                if (!ours(message.destination())) {
                    return;
                }
                ops.add(new LogOp.Append(message, List.copyOf(recovered.pending().keySet())));
                for (Map.Entry<String, Integer> pending : recovered.pending().entrySet()) {
                    if (pending.getValue() > 0) {
                        ops.add(new LogOp.DeliveryCount(message.destination(), pending.getKey(), message.partition(),
                                message.sequence(), pending.getValue()));
                    }
                }
            }

            private boolean ours(String name) {
                return name.equals(base) || name.equals(dlq);
            }
        });
        return ops;
    }
}
