package io.mom.cluster;

import io.mom.core.spi.ClusterView;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's {@link ClusterView} backed by ZooKeeper: live nodes from {@link ZkMembership},
 * leaders and epochs from {@link ZkPlacements}, plus a session fence.
 *
 * <p><b>Fence.</b> A leader that cannot talk to ZooKeeper may already have been replaced. So when
 * the connection is {@code SUSPENDED} or {@code LOST}, {@link #leaderSessionHealthy()} turns false
 * and {@link #isLocalLeader} answers false for every partition. After reconnection it turns true
 * again only once every placement this node leads, read fresh from ZooKeeper (after a
 * {@code sync}), matches the cached one (same leader, same epoch), and, after a session loss, once
 * this node has registered again. A partition whose leadership moved meanwhile is then simply not
 * led locally any more. Curator reports {@code SUSPENDED} when the connection drops, which is before
 * the server can expire the session, so the old leader stops before a new one is promoted.
 *
 * <p><b>Lifecycle and threading.</b> {@link #start()} after membership and placements;
 * {@link #close()} idempotent. Thread-safe; the answers are snapshots of the caches.
 */
public final class CuratorClusterView implements ClusterView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CuratorClusterView.class);
    private static final long RETRY_MILLIS = 100;

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final ZkMembership membership;
    private final ZkPlacements placements;
    private final ScheduledExecutorService executor;
    private final AtomicLong generation = new AtomicLong();
    private final ConnectionStateListener connectionListener = (c, state) -> onConnectionState(state);
    private volatile boolean healthy;
    private volatile boolean sessionLost;
    private volatile boolean closed;

    public CuratorClusterView(CuratorFramework client, ClusterSettings settings, ZkMembership membership,
                              ZkPlacements placements) {
        this.client = client;
        this.settings = settings;
        this.membership = membership;
        this.placements = placements;
        this.executor = CuratorOps.singleThread("mom-fence-" + settings.nodeId());
    }

    public void start() {
        client.getConnectionStateListenable().addListener(connectionListener);
        healthy = client.getZookeeperClient().isConnected();
        if (!healthy) {
            long gen = generation.incrementAndGet();
            executor.execute(() -> confirm(gen));
        }
    }

    @Override
    public String localNodeId() {
        return settings.nodeId();
    }

    @Override
    public List<Node> nodes() {
        return membership.members().stream().map(CuratorClusterView::toNode).toList();
    }

    @Override
    public boolean isLocalLeader(String destination, int partition) {
        return healthy && !closed && placements.placement(destination, partition)
                .map(p -> p.leader().equals(settings.nodeId())).orElse(false);
    }

    /** The partition's epoch, or {@code -1} when it has no placement yet. */
    @Override
    public long epoch(String destination, int partition) {
        return placements.placement(destination, partition).map(Placement::epoch).orElse(-1L);
    }

    /** False while the ZooKeeper connection is suspended or lost, until leadership is confirmed again. */
    public boolean leaderSessionHealthy() {
        return healthy && !closed;
    }

    /** True when this node leads the partition and its in-sync set is at least {@code minInSync}. */
    public boolean writesAllowed(String destination, int partition) {
        return isLocalLeader(destination, partition) && placements.writesAllowed(destination, partition);
    }

    public Optional<Placement> placement(String destination, int partition) {
        return placements.placement(destination, partition);
    }

    /** The live node leading the partition (where to forward a request), if any. */
    public Optional<Node> leader(String destination, int partition) {
        return placements.placement(destination, partition)
                .flatMap(p -> membership.member(p.leader())).map(CuratorClusterView::toNode);
    }

    /**
     * Where to send a new stream instead of this node (FR-22): when a threshold is configured and
     * this node's load is above it, the least-loaded live node if it is less loaded than this one.
     */
    public Optional<Node> redirectTarget() {
        if (settings.loadRedirectThreshold().isEmpty()) {
            return Optional.empty();
        }
        Optional<Member> self = membership.member(settings.nodeId());
        if (self.isEmpty() || self.get().load() <= settings.loadRedirectThreshold().getAsDouble()) {
            return Optional.empty();
        }
        return membership.members().stream().filter(m -> m.load() < self.get().load())
                .min(Comparator.comparingDouble(Member::load).thenComparing(Member::nodeId))
                .map(CuratorClusterView::toNode);
    }

    @Override
    public void close() {
        closed = true;
        healthy = false;
        client.getConnectionStateListenable().removeListener(connectionListener);
        executor.shutdownNow();
    }

    private void onConnectionState(ConnectionState state) {
        if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST
                || state == ConnectionState.READ_ONLY) {
            generation.incrementAndGet();
            if (state == ConnectionState.LOST) {
                sessionLost = true;
            }
            if (healthy) {
                log.warn("Node {}: ZooKeeper connection {}; not acting as leader until confirmed", settings.nodeId(),
                        state);
            }
            healthy = false;
        } else if (state.isConnected() && !closed) {
            long gen = generation.incrementAndGet();
            executor.execute(() -> confirm(gen));
        }
    }

    /** Confirms that the cached leaderships still hold; retries until they do or the connection drops again. */
    private void confirm(long gen) {
        if (closed || gen != generation.get()) {
            return;
        }
        try {
            if (client.getZookeeperClient().isConnected() && (!sessionLost || membership.registered())
                    && cacheMatchesZooKeeper()) {
                if (gen == generation.get()) {
                    sessionLost = false;
                    healthy = true;
                    log.info("Node {}: ZooKeeper session confirmed; leading again where placed", settings.nodeId());
                }
                return;
            }
        } catch (RuntimeException e) {
            log.debug("Fence confirmation of {} failed; retrying", settings.nodeId(), e);
        }
        executor.schedule(() -> confirm(gen), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private boolean cacheMatchesZooKeeper() {
        placements.sync();
        for (Placement cached : placements.placements().values()) {
            if (!cached.leader().equals(settings.nodeId())) {
                continue;
            }
            Optional<Placement> fresh = placements.readStored(cached.id());
            if (fresh.isEmpty() || fresh.get().epoch() != cached.epoch()
                    || !fresh.get().leader().equals(cached.leader())) {
                return false;
            }
        }
        return true;
    }

    private static Node toNode(Member member) {
        return new Node(member.nodeId(), member.restAddress(), member.grpcAddress(), member.load());
    }
}
