package io.mom.server.cluster;

import io.mom.cluster.MetadataKind;
import io.mom.cluster.ZkCluster;
import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Declared;
import io.mom.core.DeletePolicy;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.Names;
import io.mom.core.OutgoingMessage;
import io.mom.core.Page;
import io.mom.core.PublishResult;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.internal.CoreBroker;
import io.mom.core.spi.DestinationRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker a cluster node serves to REST and gRPC. A destination with one partition is served by
 * its leader ({@link LeaderRouter}); a partitioned one is spread over its partitions' leaders
 * ({@link PartitionSpread}, {@link SpreadReceive}, {@link SpreadConsumer}). The catalog (type, owner,
 * options) is cluster metadata in ZooKeeper, so every node lists, describes and answers the same.
 *
 * <p>Shard names ({@code <name>~<p>}) are refused from clients; only calls a peer forwarded may use
 * them. The partition count of each destination is cached from the metadata and dropped when the
 * metadata changes. Thread-safe.
 */
public final class ClusteredBroker implements Broker {
    private final LeaderRouter router;
    private final PartitionSpread spread;
    private final SpreadReceive receives;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

    ClusteredBroker(CoreBroker core, Clock clock) {
        this.router = new LeaderRouter(core, clock);
        this.spread = new PartitionSpread(router, clock);
        this.receives = new SpreadReceive(router);
    }

    void bind(ZkCluster zk, Peers peers) {
        zk.metadata().addListener((kind, key, value) -> {
            if (kind == MetadataKind.DESTINATION) {
                partitionCounts.remove(key);
            }
        });
        router.bind(zk, peers);
    }

    CoreBroker core() {
        return router.core();
    }

    void adopted(String hosted, long epoch) {
        router.adopted(hosted, epoch);
    }

    void released(String hosted) {
        router.released(hosted);
    }

    /** The partition count of a client's destination (or of the one whose dead-letter queue it names); 1 if unknown. */
    private int partitions(String name) {
        if (Names.isShard(name)) {
            if (!Forwarding.isForwarded()) {
                throw new MomException(ErrorCode.INVALID_NAME, "names containing '~' are reserved for partitions");
            }
            return 1;
        }
        String base = LeaderRouter.baseOf(name);
        Integer cached = partitionCounts.get(base);
        if (cached != null) {
            return cached;
        }
        Optional<DestinationRecord> record = router.cluster().metadata().get(MetadataKind.DESTINATION, base)
                .map(MetadataCodec::destination);
        if (record.isEmpty()) {
            return 1;
        }
        int count = record.get().options().partitions();
        partitionCounts.put(base, count);
        return count;
    }

    // ---- lifecycle ----

    @Override
    public Broker start() {
        router.start();
        return this;
    }

    @Override
    public boolean isRunning() {
        return router.isRunning();
    }

    @Override
    public void close() {
        router.close();
    }

    // ---- catalog ----

    @Override
    public Declared<DestinationInfo> declare(Identity caller, DestinationRef destination, DestinationOptions options) {
        if (Names.isDeadLetter(destination.name())) {
            throw new MomException(ErrorCode.INVALID_NAME, "names ending in .dlq are reserved for dead-letter queues");
        }
        partitions(destination.name());
        if (Forwarding.isForwarded()) {
            return router.declare(caller, destination, options);
        }
        ZkCluster zk = router.cluster();
        Optional<DestinationRecord> existing = zk.metadata().get(MetadataKind.DESTINATION, destination.name())
                .map(MetadataCodec::destination);
        if (existing.isPresent()) {
            DestinationRecord r = existing.get();
            if (r.type() != destination.type() || !r.owner().equals(caller.username()) || !r.options().equals(options)) {
                throw new MomException(ErrorCode.ALREADY_EXISTS,
                        destination.name() + " already exists with another owner, type or options");
            }
        }
        if (options.partitions() > 1) {
            return spread.declare(zk, caller, destination, options);
        }
        return router.declare(caller, destination, options);
    }

    @Override
    public DestinationInfo describe(DestinationRef destination) {
        int n = partitions(destination.name());
        return n > 1 ? spread.describe(destination, n) : router.describe(destination);
    }

    /** Lists the cluster-wide catalog; each item is described by its leaders (zero counters if they are down). */
    @Override
    public Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor) {
        ZkCluster zk = router.cluster();
        if (limit < 1 || limit > 1000) {
            throw MomException.invalid("limit must be between 1 and 1000");
        }
        String p = prefix == null ? "" : prefix;
        String after = cursor == null ? "" : cursor;
        List<DestinationRecord> matching = new ArrayList<>();
        for (byte[] value : zk.metadata().entries(MetadataKind.DESTINATION).values()) {
            DestinationRecord r = MetadataCodec.destination(value);
            if (r.type() == type && r.name().startsWith(p) && r.name().compareTo(after) > 0) {
                matching.add(r);
            }
        }
        matching.sort(Comparator.comparing(DestinationRecord::name));
        List<DestinationInfo> items = new ArrayList<>();
        for (DestinationRecord r : matching.subList(0, Math.min(limit, matching.size()))) {
            DestinationRef ref = new DestinationRef(r.type(), r.name());
            try {
                items.add(describe(ref));
            } catch (MomException e) {
                items.add(new DestinationInfo(ref, r.owner(), r.options(), r.createdAt(), 0, 0, 0,
                        r.type() == DestinationType.QUEUE ? 1 : 0));
            }
        }
        Optional<String> next = matching.size() > limit ? Optional.of(items.get(items.size() - 1).ref().name())
                : Optional.empty();
        return new Page<>(items, next);
    }

    @Override
    public CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy) {
        int n = partitions(destination.name());
        if (n == 1) {
            return router.delete(caller, destination, policy);
        }
        CompletableFuture<Void> deleted = spread.delete(caller, destination, policy, n);
        if (Names.isDeadLetter(destination.name())) {
            return deleted;
        }
        ZkCluster zk = router.cluster();
        return deleted.thenRun(() -> {
            zk.metadata().remove(MetadataKind.DESTINATION, destination.name());
            partitionCounts.remove(destination.name());
            spread.forget(destination.name());
            receives.forget(destination.name());
        });
    }

    @Override
    public Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription, SubscriptionOptions options) {
        int n = partitions(subscription.destination().name());
        return n > 1 ? spread.subscribe(caller, subscription, options, n) : router.subscribe(caller, subscription, options);
    }

    @Override
    public void unsubscribe(Identity caller, SubscriptionRef subscription) {
        int n = partitions(subscription.destination().name());
        if (n > 1) {
            spread.unsubscribe(caller, subscription, n);
        } else {
            router.unsubscribe(caller, subscription);
        }
    }

    @Override
    public List<SubscriptionInfo> subscriptions(DestinationRef topic) {
        int n = partitions(topic.name());
        return n > 1 ? spread.subscriptions(topic, n) : router.subscriptions(topic);
    }

    // ---- messages ----

    @Override
    public CompletableFuture<PublishResult> publish(Identity caller, DestinationRef destination, OutgoingMessage message) {
        int n = partitions(destination.name());
        if (n == 1) {
            return router.publish(caller, destination, message);
        }
        return spread.publishAll(caller, destination, List.of(message), n).thenApply(r -> r.get(0));
    }

    @Override
    public CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                             List<OutgoingMessage> messages) {
        int n = partitions(destination.name());
        return n > 1 ? spread.publishAll(caller, destination, messages, n)
                : router.publishAll(caller, destination, messages);
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription, ReceiveRequest request) {
        int n = partitions(subscription.destination().name());
        return n > 1 ? receives.receive(caller, subscription, request, n) : router.receive(caller, subscription, request);
    }

    @Override
    public Consumer consume(Identity caller, SubscriptionRef subscription, ConsumerOptions options,
                            DeliveryListener listener) {
        int n = partitions(subscription.destination().name());
        if (n == 1) {
            return router.consume(caller, subscription, options, listener);
        }
        return SpreadConsumer.open(subscription, options, listener, n,
                receipts -> spread.ack(caller, subscription, receipts, n),
                (p, partitionListener) -> router.consume(caller, Shards.ref(subscription, p), options, partitionListener));
    }

    @Override
    public CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts) {
        int n = partitions(subscription.destination().name());
        return n > 1 ? spread.ack(caller, subscription, receipts, n) : router.ack(caller, subscription, receipts);
    }

    @Override
    public CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                             NackMode mode) {
        int n = partitions(subscription.destination().name());
        return n > 1 ? spread.nack(caller, subscription, receipts, mode, n)
                : router.nack(caller, subscription, receipts, mode);
    }
}
