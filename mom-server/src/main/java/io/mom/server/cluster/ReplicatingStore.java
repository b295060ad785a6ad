package io.mom.server.cluster;

import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveryVisitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The message store the core broker of a cluster node writes to: each write goes to the node's own
 * store and, through the {@link LogShipper}, to the in-sync replicas of the destinations it touches;
 * it completes when both are durable (the leader's copy and every in-sync replica's). Catalog
 * operations replicate the same way, so a replica's store holds the whole destination. Writes for a
 * destination this node does not lead (or leads under a fenced session) fail with {@code UNAVAILABLE}
 * and change nothing. Lazy writes (delivery counts) stay local. Thread-safe like the wrapped store.
 */
final class ReplicatingStore implements MessageStore {
    private final MessageStore local;
    private volatile LogShipper shipper;

    ReplicatingStore(MessageStore local) {
        this.local = local;
    }

    void bind(LogShipper logShipper) {
        this.shipper = logShipper;
    }

    MessageStore local() {
        return local;
    }

    @Override
    public void recover(RecoveryVisitor visitor) {
        local.recover(visitor);
    }

    @Override
    public CompletableFuture<Void> write(List<LogOp> ops) {
        LogShipper s = shipper;
        if (s == null) {
            return local.write(ops);
        }
        Map<String, List<LogOp>> byDestination = new LinkedHashMap<>();
        for (LogOp op : ops) {
            byDestination.computeIfAbsent(LeaderRouter.baseOf(destinationOf(op)), k -> new ArrayList<>()).add(op);
        }
        try {
            byDestination.keySet().forEach(s::checkLeader);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        CompletableFuture<Void> written = local.write(ops);
        all.add(written);
        byDestination.forEach((destination, part) -> all.add(s.ship(destination, part, written)));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    @Override
    public void writeLazily(List<LogOp> ops) {
        local.writeLazily(ops);
    }

    @Override
    public Optional<byte[]> readPayload(String destination, int partition, long sequence) {
        return local.readPayload(destination, partition, sequence);
    }

    @Override
    public void close() {
        local.close();
    }

    static String destinationOf(LogOp op) {
        if (op instanceof LogOp.PutDestination) {
            return ((LogOp.PutDestination) op).destination().name();
        } else if (op instanceof LogOp.DeleteDestination) {
            return ((LogOp.DeleteDestination) op).name();
        } else if (op instanceof LogOp.PutSubscription) {
            return ((LogOp.PutSubscription) op).subscription().topic();
        } else if (op instanceof LogOp.DeleteSubscription) {
            return ((LogOp.DeleteSubscription) op).topic();
        } else if (op instanceof LogOp.Append) {
            return ((LogOp.Append) op).message().destination();
        } else if (op instanceof LogOp.Ack) {
            return ((LogOp.Ack) op).destination();
        } else if (op instanceof LogOp.Remove) {
            return ((LogOp.Remove) op).destination();
        } else if (op instanceof LogOp.DeliveryCount) {
            return ((LogOp.DeliveryCount) op).destination();
        }
        throw new IllegalArgumentException("unknown log operation " + op.getClass());
    }
}
