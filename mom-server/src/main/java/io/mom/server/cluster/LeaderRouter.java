package io.mom.server.cluster;

import io.mom.cluster.MetadataKind;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Declared;
import io.mom.core.Delivery;
import io.mom.core.DeletePolicy;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends every call about one hosted destination to the node that leads it: this node's
 * {@link CoreBroker} or a peer over gRPC ({@link PeerBroker}), so the answer and the status are the
 * same whichever node was asked. {@link ClusteredBroker} puts it behind the client-facing API.
 *
 * <p><b>Hosting model.</b> A hosted destination is placed as one unit: the leader of its placement
 * hosts it whole (its subscriptions and its dead-letter queue {@code <name>.dlq}) in its core broker;
 * the followers of that placement hold replicas of its log. A single-partition destination is hosted
 * under its own name; each partition of a partitioned one is hosted as a shard ({@code <name>~<p>},
 * see {@link Names}) with a placement of its own, so the partitions spread over the nodes.
 * The catalog entry (type, owner, options) of a client's destination is cluster metadata in
 * ZooKeeper, so every node lists and describes the same destinations.
 *
 * <p>A call is served locally only when this node is the leader, its ZooKeeper session is healthy (the
 * fence of {@code CuratorClusterView}) and it has taken the destination over at the current epoch;
 * otherwise it is forwarded, once: a forwarded call ({@link Forwarding}) that finds this node is not
 * the leader fails with {@code UNAVAILABLE}. A destination whose leader is gone is {@code UNAVAILABLE}
 * until the controller promotes a replica. Thread-safe.
 */
final class LeaderRouter implements Broker {
    /** How long a declare waits for the controller to place a new destination (or partition). */
    static final long PLACEMENT_WAIT_MS = 10_000;

    private final CoreBroker core;
    private final Clock clock;
    /** The epoch at which this node took each destination (base name) over. */
    private final Map<String, Long> adopted = new ConcurrentHashMap<>();
    private volatile ZkCluster cluster;
    private volatile Peers peers;

    LeaderRouter(CoreBroker core, Clock clock) {
        this.core = core;
        this.clock = clock;
    }

    void bind(ZkCluster zk, Peers peerChannels) {
        this.peers = peerChannels;
        this.cluster = zk;
    }

    CoreBroker core() {
        return core;
    }

    /** The cluster this node joined; {@code UNAVAILABLE} before it has. */
    ZkCluster cluster() {
        ZkCluster zk = cluster;
        if (zk == null) {
            throw new MomException(ErrorCode.UNAVAILABLE, "the node is not serving yet");
        }
        return zk;
    }

    /** Records that this node serves {@code base} at {@code epoch}. */
    void adopted(String base, long epoch) {
        adopted.put(base, epoch);
    }

    void released(String base) {
        adopted.remove(base);
    }

    // ---- routing ----

    /** Where a destination's calls go: empty = this node, else the leader peer. */
    private Optional<PeerBroker> route(String name, boolean declaring) {
        ZkCluster zk = cluster;
        if (zk == null || !core.isRunning()) {
            throw new MomException(ErrorCode.UNAVAILABLE, "the node is not serving yet");
        }
        String base = baseOf(name);
        Placement placement = zk.placements().placement(base, 0).orElse(null);
        if (placement == null) {
            if (zk.metadata().get(MetadataKind.DESTINATION, Names.unsharded(base)).isPresent()) {
                throw new MomException(ErrorCode.UNAVAILABLE, base + " is not placed yet");
            }
            throw MomException.notFound(name);
        }
        String me = zk.settings().nodeId();
        if (placement.leader().equals(me)) {
            if (!zk.view().leaderSessionHealthy()) {
                throw new MomException(ErrorCode.UNAVAILABLE, "this node's ZooKeeper session is not confirmed");
            }
            Long at = adopted.get(base);
            if (!declaring && (at == null || at != placement.epoch())) {
                throw new MomException(ErrorCode.UNAVAILABLE, base + " is being taken over by this node");
            }
            return Optional.empty();
        }
        if (Forwarding.isForwarded()) {
            throw new MomException(ErrorCode.UNAVAILABLE, "leadership of " + base + " moved to " + placement.leader());
        }
        var leader = zk.membership().member(placement.leader()).orElseThrow(() -> new MomException(
                ErrorCode.UNAVAILABLE, "the leader of " + base + " (" + placement.leader() + ") is down; failover pending"));
        return Optional.of(peers.peer(leader.nodeId(), leader.grpcAddress()));
    }

    static String baseOf(String name) {
        return Names.isDeadLetter(name) ? name.substring(0, name.length() - ".dlq".length()) : name;
    }

    private static <T> CompletableFuture<T> failed(RuntimeException e) {
        return CompletableFuture.failedFuture(e);
    }

    // ---- lifecycle ----

    @Override
    public Broker start() {
        core.start();
        return this;
    }

    /** Running once the core broker runs and the node has joined the cluster. */
    @Override
    public boolean isRunning() {
        return core.isRunning() && cluster != null;
    }

    @Override
    public void close() {
        core.close();
    }

    // ---- catalog ----

    @Override
    public Declared<DestinationInfo> declare(Identity caller, DestinationRef destination, DestinationOptions options) {
        if (Names.isDeadLetter(destination.name())) {
            throw new MomException(ErrorCode.INVALID_NAME, "names ending in .dlq are reserved for dead-letter queues");
        }
        ZkCluster zk = cluster;
        if (zk == null) {
            throw new MomException(ErrorCode.UNAVAILABLE, "the node is not serving yet");
        }
        boolean shard = Names.isShard(destination.name());
        if (!Forwarding.isForwarded() && !shard) {
            DestinationRecord record = new DestinationRecord(destination.type(), destination.name(),
                    caller.username(), options, clock.instant());
            boolean created = zk.metadata().putIfAbsent(MetadataKind.DESTINATION, destination.name(),
                    MetadataCodec.destination(record));
            zk.placements().declare(destination.name(), 1);
            try {
                zk.placements().whenPlaced(destination.name()).get(PLACEMENT_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MomException(ErrorCode.UNAVAILABLE, "interrupted");
            } catch (Exception e) {
                if (created) {
                    zk.metadata().remove(MetadataKind.DESTINATION, destination.name());
                }
                throw new MomException(ErrorCode.UNAVAILABLE, "no node could be given " + destination.name(), e);
            }
        }
        Optional<PeerBroker> leader = route(destination.name(), true);
        if (leader.isPresent()) {
            return leader.get().declare(caller, destination, options);
        }
        Declared<DestinationInfo> declared = shard ? core.declareShard(caller.username(), destination, options)
                : core.declare(caller, destination, options);
        zk.placements().placement(destination.name(), 0).ifPresent(p -> adopted(destination.name(), p.epoch()));
        return declared;
    }

    @Override
    public DestinationInfo describe(DestinationRef destination) {
        Identity system = Identity.admin("$cluster");
        return route(destination.name(), false).map(p -> p.describe(system, destination))
                .orElseGet(() -> core.describe(destination));
    }

    /** The destinations this node hosts; the cluster-wide catalog is {@link ClusteredBroker#list}. */
    @Override
    public Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor) {
        return core.list(type, prefix, limit, cursor);
    }

    @Override
    public CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy) {
        Optional<PeerBroker> leader = route(destination.name(), false);
        CompletableFuture<Void> deleted;
        if (leader.isPresent()) {
            try {
                leader.get().delete(caller, destination, policy);
                deleted = CompletableFuture.completedFuture(null);
            } catch (MomException e) {
                return failed(e);
            }
        } else {
            deleted = core.delete(caller, destination, policy);
        }
        if (Forwarding.isForwarded() || Names.isDeadLetter(destination.name())) {
            return deleted;
        }
        ZkCluster zk = cluster;
        return deleted.thenRun(() -> {
            zk.metadata().remove(MetadataKind.DESTINATION, destination.name());
            zk.placements().remove(destination.name());
        });
    }

    @Override
    public Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription, SubscriptionOptions options) {
        return route(subscription.destination().name(), false).map(p -> p.subscribe(caller, subscription, options))
                .orElseGet(() -> core.subscribe(caller, subscription, options));
    }

    @Override
    public void unsubscribe(Identity caller, SubscriptionRef subscription) {
        Optional<PeerBroker> leader = route(subscription.destination().name(), false);
        if (leader.isPresent()) {
            leader.get().unsubscribe(caller, subscription);
        } else {
            core.unsubscribe(caller, subscription);
        }
    }

    @Override
    public List<SubscriptionInfo> subscriptions(DestinationRef topic) {
        return route(topic.name(), false).map(p -> p.subscriptions(Identity.admin("$cluster"), topic))
                .orElseGet(() -> core.subscriptions(topic));
    }

    // ---- messages ----

    @Override
    public CompletableFuture<PublishResult> publish(Identity caller, DestinationRef destination, OutgoingMessage message) {
        Optional<PeerBroker> leader = route(destination.name(), false);
        if (leader.isEmpty()) {
            return core.publish(caller, destination, message);
        }
        return leader.get().publish(caller, destination, List.of(message)).thenApply(r -> r.get(0));
    }

    @Override
    public CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                             List<OutgoingMessage> messages) {
        return route(destination.name(), false).map(p -> p.publish(caller, destination, messages))
                .orElseGet(() -> core.publishAll(caller, destination, messages));
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription, ReceiveRequest request) {
        return route(subscription.destination().name(), false).map(p -> p.receive(caller, subscription, request))
                .orElseGet(() -> core.receive(caller, subscription, request));
    }

    @Override
    public Consumer consume(Identity caller, SubscriptionRef subscription, ConsumerOptions options,
                            DeliveryListener listener) {
        return route(subscription.destination().name(), false)
                .<Consumer>map(p -> PeerConsumer.open(p, caller, subscription, options, listener))
                .orElseGet(() -> core.consume(caller, subscription, options, listener));
    }

    @Override
    public CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts) {
        return route(subscription.destination().name(), false).map(p -> p.ack(caller, subscription, receipts))
                .orElseGet(() -> core.ack(caller, subscription, receipts));
    }

    @Override
    public CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                             NackMode mode) {
        return route(subscription.destination().name(), false).map(p -> p.nack(caller, subscription, receipts, mode))
                .orElseGet(() -> core.nack(caller, subscription, receipts, mode));
    }
}
