package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Partition placements stored in ZooKeeper, one versioned znode per partition
 * ({@code /placements/<destination>/<partition>}, see {@link Placement} for the fields), mirrored in
 * a {@code CuratorCache} on every node.
 *
 * <p><b>Who writes what.</b> Any node may {@link #declare} a destination (its partition count) or
 * {@link #remove} it; only the {@link Controller} creates and changes placements, and it does so with
 * compare-and-set on the znode version, inside a ZooKeeper transaction that also checks the
 * controller still holds its election node, so a deposed controller cannot overwrite anything.
 * Leaders ask the controller to put a follower back in sync with {@link #reportCaughtUp}, or to take
 * a failing one out with {@link #reportOutOfSync}.
 *
 * <p><b>Reads</b> come from the cache: they are snapshots that trail ZooKeeper by a few
 * milliseconds; {@link #readFresh} reads through to ZooKeeper.
 *
 * <p><b>Lifecycle and threading.</b> {@link #start()} once (blocks until the cache is loaded),
 * {@link #close()} idempotent. Thread-safe; writes block the calling thread for one ZooKeeper round
 * trip and throw {@link MomException} ({@code UNAVAILABLE}) when ZooKeeper cannot be reached.
 */
public final class ZkPlacements implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkPlacements.class);
    private static final int MAX_PARTITIONS = 1024;

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final CuratorCache cache;
    private final List<PlacementListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    /** Decoded placements, kept in step with the cache so the broker's per-request reads decode nothing. */
    private final Map<PartitionId, Placement> decoded = new ConcurrentHashMap<>();

    private record Waiter(String destination, CompletableFuture<List<Placement>> future) {
    }

    public ZkPlacements(CuratorFramework client, ClusterSettings settings) {
        this.client = client;
        this.settings = settings;
        this.cache = CuratorCache.build(client, ClusterPaths.PLACEMENTS);
    }

    public void start() {
        CuratorOps.ensurePath(client, ClusterPaths.PLACEMENTS);
        CuratorOps.ensurePath(client, ClusterPaths.REPORTS);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(data -> onChange(null, data))
                .forChanges(this::onChange)
                .forDeletes(data -> onChange(data, null))
                .build());
        CuratorOps.startAndAwait(cache, settings.connectTimeout());
    }

    /**
     * Declares a destination with its partition count so the controller places its partitions.
     * Idempotent for the same count.
     *
     * @throws MomException {@code CONFLICT} when it is declared with another partition count
     */
    public void declare(String destination, int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw MomException.invalid("partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions);
        }
        new PartitionId(destination, 0);
        String path = ClusterPaths.destination(destination);
        int existing;
        try {
            client.create().forPath(path, KeyValueCodec.encode(Map.of("partitions", Integer.toString(partitions))));
            return;
        } catch (KeeperException.NodeExistsException e) {
            existing = declaredPartitions(path);
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot declare " + destination, e);
        }
        if (existing != partitions) {
            throw new MomException(ErrorCode.CONFLICT, "destination " + destination + " is already placed with "
                    + existing + " partitions");
        }
    }

    /** Removes a destination's placements and pending reports (the destination was deleted). Idempotent. */
    public void remove(String destination) {
        deleteTree(ClusterPaths.destination(destination));
        deleteTree(ClusterPaths.reports(destination));
    }

    /** Declared destinations and their partition counts, by name. */
    public Map<String, Integer> declared() {
        Map<String, Integer> declared = new TreeMap<>();
        cache.stream().forEach(data -> {
            String[] segments = ClusterPaths.below(ClusterPaths.PLACEMENTS, data.getPath());
            if (segments.length == 1) {
                String count = KeyValueCodec.decode(data.getData()).get("partitions");
                if (count != null) {
                    declared.put(ClusterPaths.decodeKey(segments[0]), Integer.parseInt(count));
                }
            }
        });
        return declared;
    }

    public Optional<Placement> placement(String destination, int partition) {
        return placement(new PartitionId(destination, partition));
    }

    public Optional<Placement> placement(PartitionId id) {
        return Optional.ofNullable(decoded.get(id));
    }

    /** Every placement, ordered by partition. */
    public Map<PartitionId, Placement> placements() {
        return new TreeMap<>(decoded);
    }

    /** The placements of one destination, by partition index; empty if none yet. */
    public List<Placement> placementsOf(String destination) {
        return placements().values().stream().filter(p -> p.id().destination().equals(destination)).toList();
    }

    /**
     * Completes with the destination's placements once every declared partition has one (at once if
     * that is already so). Never completes for an undeclared destination; callers bound the wait.
     */
    public CompletableFuture<List<Placement>> whenPlaced(String destination) {
        CompletableFuture<List<Placement>> future = new CompletableFuture<>();
        waiters.add(new Waiter(destination, future));
        checkWaiters();
        return future;
    }

    /** True when the partition has a placement whose in-sync set has at least {@code minInSync} copies. */
    public boolean writesAllowed(String destination, int partition) {
        return placement(destination, partition).map(p -> p.writable(settings.minInSync())).orElse(false);
    }

    /**
     * Replaces {@code expected} by {@code next} only if the stored version is still
     * {@code expected.version()}. Meant for the controller and for tests; brokers never call it.
     *
     * @return false when the placement changed or vanished since {@code expected} was read
     */
    public boolean compareAndSet(Placement expected, Placement next) {
        return write(expected, next, null).isPresent();
    }

    /**
     * Asks the controller to put {@code nodeId} back in the partition's in-sync set, at the epoch this
     * node's cache shows now. Call it when the follower holds everything the leader acknowledged at
     * that epoch and the leader already ships new batches to it. The controller ignores a report
     * made at an older epoch, or by a node that is not a live follower.
     *
     * @throws MomException {@code NOT_FOUND} when the partition has no placement
     */
    public void reportCaughtUp(String destination, int partition, String nodeId) {
        Placement placement = placement(destination, partition)
                .orElseThrow(() -> MomException.notFound("placement of " + destination + "#" + partition));
        reportCaughtUp(destination, partition, nodeId, placement.epoch());
    }

    /** {@link #reportCaughtUp(String, int, String)} at an explicit epoch. */
    public void reportCaughtUp(String destination, int partition, String nodeId, long epoch) {
        writeReport(new PartitionId(destination, partition), nodeId, Map.of("epoch", Long.toString(epoch)));
    }

    private void writeReport(PartitionId id, String nodeId, Map<String, String> fields) {
        String path = ClusterPaths.report(id, nodeId);
        byte[] data = KeyValueCodec.encode(fields);
        try {
            // The controller deletes a report once applied: it may vanish between create and set.
            for (int attempt = 1; ; attempt++) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(path, data);
                    return;
                } catch (KeeperException.NodeExistsException e) {
                    try {
                        client.setData().forPath(path, data);
                        return;
                    } catch (KeeperException.NoNodeException gone) {
                        if (attempt == 3) {
                            throw gone;
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot report on " + nodeId + " for " + id, e);
        }
    }

    /**
     * Asks the controller to take {@code nodeId} out of the partition's in-sync set: the leader
     * {@code reporter} could not replicate to it at {@code epoch} (a timeout, an unreachable node, a
     * rejected batch). The controller applies it only when {@code reporter} leads the partition at
     * that epoch and {@code nodeId} is an in-sync follower; the leader must not count the follower's
     * copy as missing until its cache shows the follower out of the set (see {@link #when}).
     * A later {@link #reportCaughtUp} for the same node replaces a report not yet applied.
     */
    public void reportOutOfSync(String destination, int partition, String nodeId, long epoch, String reporter) {
        writeReport(new PartitionId(destination, partition), nodeId, Map.of("epoch", Long.toString(epoch),
                "state", "out", "by", reporter));
    }

    /**
     * Completes with the partition's placement (empty if it has none) as soon as {@code condition}
     * holds for what this node's cache shows: at once if it holds now, otherwise at the first change
     * that makes it hold. Callers bound the wait ({@code orTimeout}); a timed-out future is dropped.
     */
    public CompletableFuture<Optional<Placement>> when(PartitionId id,
                                                       java.util.function.Predicate<Optional<Placement>> condition) {
        CompletableFuture<Optional<Placement>> future = new CompletableFuture<>();
        PlacementListener[] self = new PlacementListener[1];
        self[0] = (changed, previous, current) -> {
            if (changed.equals(id) && !future.isDone() && condition.test(current)) {
                future.complete(current);
            }
        };
        listeners.add(self[0]);
        future.whenComplete((p, e) -> listeners.remove(self[0]));
        Optional<Placement> now = placement(id);
        if (condition.test(now)) {
            future.complete(now);
        }
        return future;
    }

    /** Reads one placement from ZooKeeper itself (after a {@code sync}), bypassing the cache. */
    public Optional<Placement> readFresh(PartitionId id) {
        sync();
        return readStored(id);
    }

    /**
     * Makes the connected ZooKeeper server catch up with the ensemble's leader, so the reads that
     * follow see every write completed before this call.
     */
    void sync() {
        CompletableFuture<Void> synced = new CompletableFuture<>();
        try {
            client.sync().inBackground((c, event) -> synced.complete(null)).forPath(ClusterPaths.PLACEMENTS);
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot sync", e);
        }
        CuratorOps.await(synced, settings.sessionTimeout(), "ZooKeeper sync");
    }

    /** Reads one placement from the connected server, bypassing the cache. */
    Optional<Placement> readStored(PartitionId id) {
        String path = ClusterPaths.placement(id);
        try {
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return Optional.of(Placement.fromFields(id, KeyValueCodec.decode(data), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot read " + path, e);
        }
    }

    public void addListener(PlacementListener listener) {
        listeners.add(listener);
    }

    public void removeListener(PlacementListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        cache.close();
        decoded.clear();
        waiters.forEach(w -> w.future().cancel(false));
        waiters.clear();
    }

    /**
     * Creates ({@code expected == null}) or compare-and-sets a placement, optionally in one
     * transaction with an existence check of {@code fencePath} (the controller's election node).
     *
     * @return the stored placement with its new version, or empty when the version, the fence or
     *         the parent did not match
     */
    Optional<Placement> write(Placement expected, Placement next, String fencePath) {
        String path = ClusterPaths.placement(next.id());
        byte[] data = KeyValueCodec.encode(next.toFields());
        try {
            CuratorOp op = expected == null
                    ? client.transactionOp().create().forPath(path, data)
                    : client.transactionOp().setData().withVersion(expected.version()).forPath(path, data);
            List<CuratorOp> ops = new ArrayList<>(2);
            if (fencePath != null) {
                ops.add(client.transactionOp().check().forPath(fencePath));
            }
            ops.add(op);
            client.transaction().forOperations(ops);
            return Optional.of(next.withVersion(expected == null ? 0 : expected.version() + 1));
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                 | KeeperException.NodeExistsException e) {
            log.debug("Placement write of {} rejected: {}", next.id(), e.code());
            return Optional.empty();
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot write placement of " + next.id(), e);
        }
    }

    private int declaredPartitions(String path) {
        try {
            return Integer.parseInt(KeyValueCodec.require(KeyValueCodec.decode(client.getData().forPath(path)),
                    "partitions"));
        } catch (MomException e) {
            throw e;
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot read " + path, e);
        }
    }

    private void deleteTree(String path) {
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // Already gone.
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot delete " + path, e);
        }
    }

    private Optional<Placement> decode(ChildData data) {
        String[] segments = ClusterPaths.below(ClusterPaths.PLACEMENTS, data.getPath());
        if (segments.length != 2 || data.getData() == null) {
            return Optional.empty();
        }
        try {
            PartitionId id = new PartitionId(ClusterPaths.decodeKey(segments[0]), Integer.parseInt(segments[1]));
            return Optional.of(Placement.fromFields(id, KeyValueCodec.decode(data.getData()),
                    data.getStat().getVersion()));
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable placement {}: {}", data.getPath(), e.getMessage());
            return Optional.empty();
        }
    }

    private void onChange(ChildData before, ChildData after) {
        Optional<Placement> previous = before == null ? Optional.empty() : decode(before);
        Optional<Placement> current = after == null ? Optional.empty() : decode(after);
        Optional<PartitionId> id = previous.or(() -> current).map(Placement::id);
        id.ifPresent(partition -> {
            if (current.isPresent()) {
                decoded.put(partition, current.get());
            } else {
                decoded.remove(partition);
            }
            listeners.forEach(l -> l.changed(partition, previous, current));
        });
        checkWaiters();
    }

    private void checkWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        Map<String, Integer> declared = declared();
        for (Waiter waiter : waiters) {
            Integer count = declared.get(waiter.destination());
            if (count == null) {
                continue;
            }
            List<Placement> placed = placementsOf(waiter.destination());
            if (placed.size() == count) {
                waiter.future().complete(placed);
                waiters.remove(waiter);
            }
        }
    }
}
