package io.mom.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster controller: every node runs one, Curator's {@link LeaderLatch} elects one of them
 * (path {@code /controller}), and only the elected one changes placements. When the controller's
 * node dies or loses its session, another is elected within about one session timeout and carries
 * on from what is stored in ZooKeeper.
 *
 * <p><b>What a pass does</b> (on every membership, placement or report change, and every
 * {@value #TICK_MILLIS} ms): notes in {@code /missing/<node>} when it first saw an assigned node
 * missing (kept in ZooKeeper, so a new controller keeps the clock running, and cleared when the node
 * returns or holds nothing any more); declares fallen the nodes missing for at least
 * {@link ClusterSettings#failoverGrace()} by the injected {@link Clock}; applies
 * {@link PlacementPolicy#plan} (failover, in-sync shrink, reassignment of fallen nodes' copies,
 * placement of new partitions); applies "caught up" reports and the leaders' "out of sync" reports.
 * Writes are compare-and-set and fenced by the controller's own election node, so a deposed
 * controller's writes fail.
 *
 * <p><b>Lifecycle and threading.</b> {@link #start()} after {@link ZkMembership} and
 * {@link ZkPlacements} have started; {@link #close()} idempotent (gives up the election). Passes run
 * on one named thread ({@code mom-controller-<nodeId>}); the public methods are thread-safe.
 */
public final class Controller implements AutoCloseable {
    static final long TICK_MILLIS = 500;
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final long RETRY_MILLIS = 50;

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final ZkMembership membership;
    private final ZkPlacements placements;
    private final Clock clock;
    private final PlacementPolicy policy;
    private final LeaderLatch latch;
    private final CuratorCache reports;
    private final ScheduledExecutorService executor;
    private final Set<PartitionId> offline = new HashSet<>();
    /** Fallen nodes of the last pass, to log each change once; controller thread only. */
    private Set<String> lastFallen = Set.of();
    private volatile boolean closed;

    /** A pending report: {@code reporter} is set for "out of sync" reports, null for "caught up". */
    private record Report(PartitionId id, String nodeId, long epoch, String reporter, String path, int version) {
    }

    public Controller(CuratorFramework client, ClusterSettings settings, ZkMembership membership,
                      ZkPlacements placements, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.membership = membership;
        this.placements = placements;
        this.clock = clock;
        this.policy = new PlacementPolicy(settings.replicationFactor());
        this.latch = new LeaderLatch(client, ClusterPaths.CONTROLLER, settings.nodeId());
        this.reports = CuratorCache.build(client, ClusterPaths.REPORTS);
        this.executor = CuratorOps.singleThread("mom-controller-" + settings.nodeId());
    }

    /** Joins the election and starts watching. Returns at once; see {@link #isController()}. */
    public void start() {
        CuratorOps.ensurePath(client, ClusterPaths.MISSING);
        CuratorOps.ensurePath(client, ClusterPaths.REPORTS);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                log.info("Node {} is now the cluster controller", settings.nodeId());
                trigger();
            }

            @Override
            public void notLeader() {
                log.info("Node {} is no longer the cluster controller", settings.nodeId());
            }
        }, executor);
        membership.addListener(new MembershipListener() {
            @Override
            public void joined(Member member) {
                trigger();
            }

            @Override
            public void left(String nodeId) {
                trigger();
            }
        });
        placements.addListener((id, previous, current) -> trigger());
        reports.listenable().addListener(CuratorCacheListener.builder().forCreatesAndChanges((a, b) -> trigger())
                .build());
        CuratorOps.startAndAwait(reports, settings.connectTimeout());
        executor.scheduleWithFixedDelay(this::pass, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            latch.start();
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot join the controller election", e);
        }
    }

    /** True while this node is the elected controller. */
    public boolean isController() {
        return !closed && latch.hasLeadership();
    }

    /** The id of the elected controller, if any is elected. */
    public Optional<String> controllerId() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() && !leader.getId().isEmpty() ? Optional.of(leader.getId()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Assigned nodes the controller has seen missing, with the instant it first noticed (read from ZooKeeper). */
    public Map<String, Instant> missingSince() {
        try {
            Map<String, Instant> missing = new TreeMap<>();
            for (String node : client.getChildren().forPath(ClusterPaths.MISSING)) {
                try {
                    Map<String, String> fields = KeyValueCodec.decode(client.getData().forPath(ClusterPaths.missing(node)));
                    missing.put(node, Instant.ofEpochMilli(Long.parseLong(KeyValueCodec.require(fields, "since"))));
                } catch (KeeperException.NoNodeException e) {
                    // Cleared meanwhile.
                }
            }
            return missing;
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot read missing nodes", e);
        }
    }

    /** Runs a pass now (a no-op unless this node is the controller); completes when it has run. */
    public CompletableFuture<Void> reconcile() {
        return CompletableFuture.runAsync(this::pass, executor);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            latch.close();
        } catch (Exception e) {
            log.debug("Closing the controller latch of {} failed", settings.nodeId(), e);
        }
        reports.close();
        executor.shutdownNow();
    }

    private void trigger() {
        if (!closed && latch.hasLeadership()) {
            try {
                executor.execute(this::pass);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closing.
            }
        }
    }

    /** One reconciliation pass; runs on the controller thread only. */
    private void pass() {
        String fence = latch.getOurPath();
        if (closed || !latch.hasLeadership() || fence == null) {
            return;
        }
        try {
            if (!reconcileOnce(fence)) {
                executor.schedule(this::pass, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            // ZooKeeper unreachable or the like: the next tick tries again.
            log.warn("Controller pass on {} failed: {}", settings.nodeId(), e.getMessage());
        }
    }

    /** @return false when a write lost a race and another pass should follow soon */
    private boolean reconcileOnce(String fence) {
        Map<String, Member> live = membership.membersById();
        Map<PartitionId, Placement> current = placements.placements();
        Set<String> fallen = trackMissing(live, current);

        List<PartitionId> unplaced = new java.util.ArrayList<>();
        placements.declared().forEach((destination, count) -> {
            for (int p = 0; p < count; p++) {
                PartitionId id = new PartitionId(destination, p);
                if (!current.containsKey(id)) {
                    unplaced.add(id);
                }
            }
        });

        boolean clean = true;
        Map<PartitionId, Placement> stored = new HashMap<>(current);
        for (Placement next : policy.plan(current.values(), unplaced, live, fallen)) {
            Placement before = current.get(next.id());
            Optional<Placement> written = placements.write(before, next, fence);
            if (written.isPresent()) {
                stored.put(next.id(), written.get());
                log.info("Placement {} -> {}", before == null ? next.id() : before, next);
            } else {
                clean = false;
            }
        }
        if (clean) {
            // After a lost race the cache may still show an old leader: judge offline partitions next pass.
            noteOffline(stored.values(), live);
        }
        return applyReports(stored, live, fence) && clean;
    }

    /** Records newly missing nodes, clears returned or unassigned ones; returns the fallen ones. */
    private Set<String> trackMissing(Map<String, Member> live, Map<PartitionId, Placement> current) {
        Set<String> assigned = new HashSet<>();
        current.values().forEach(p -> assigned.addAll(p.assigned()));
        Map<String, Instant> missing = new HashMap<>(missingSince());
        Instant now = clock.instant();
        for (String node : assigned) {
            if (!live.containsKey(node) && !missing.containsKey(node)) {
                createMissing(node, now);
                missing.put(node, now);
                log.warn("Node {} is missing; declared fallen if still absent after {}", node,
                        settings.failoverGrace());
            }
        }
        Set<String> fallen = new HashSet<>();
        for (Map.Entry<String, Instant> entry : missing.entrySet()) {
            String node = entry.getKey();
            if (live.containsKey(node) || !assigned.contains(node)) {
                deleteQuietly(ClusterPaths.missing(node), -1);
            } else if (!now.isBefore(entry.getValue().plus(settings.failoverGrace()))) {
                fallen.add(node);
            }
        }
        if (!fallen.isEmpty() && !fallen.equals(lastFallen)) {
            log.warn("Nodes {} are fallen (absent longer than {}): reassigning their copies", fallen,
                    settings.failoverGrace());
        }
        lastFallen = fallen;
        return fallen;
    }

    private boolean applyReports(Map<PartitionId, Placement> stored, Map<String, Member> live, String fence) {
        boolean clean = true;
        for (Report report : pendingReports()) {
            Placement placement = stored.get(report.id());
            Optional<Placement> next;
            if (placement == null) {
                next = Optional.empty();
            } else if (report.reporter() != null) {
                next = policy.outOfSync(placement, report.nodeId(), report.epoch(), report.reporter());
            } else {
                next = policy.caughtUp(placement, report.nodeId(), report.epoch(), live.keySet());
            }
            if (next.isPresent()) {
                Optional<Placement> written = placements.write(placement, next.get(), fence);
                if (written.isEmpty()) {
                    clean = false;
                    continue;
                }
                stored.put(report.id(), written.get());
                log.info("Node {} {} on {} at epoch {}", report.nodeId(),
                        report.reporter() == null ? "caught up" : "left the in-sync set", report.id(), report.epoch());
            }
            deleteQuietly(report.path(), report.version());
        }
        return clean;
    }

    private List<Report> pendingReports() {
        return reports.stream().map(this::decodeReport).flatMap(Optional::stream).toList();
    }

    private Optional<Report> decodeReport(ChildData data) {
        String[] segments = ClusterPaths.below(ClusterPaths.REPORTS, data.getPath());
        if (segments.length != 3 || data.getData() == null) {
            return Optional.empty();
        }
        try {
            PartitionId id = new PartitionId(ClusterPaths.decodeKey(segments[0]), Integer.parseInt(segments[1]));
            Map<String, String> fields = KeyValueCodec.decode(data.getData());
            long epoch = Long.parseLong(KeyValueCodec.require(fields, "epoch"));
            String reporter = "out".equals(fields.get("state")) ? KeyValueCodec.require(fields, "by") : null;
            return Optional.of(new Report(id, segments[2], epoch, reporter, data.getPath(),
                    data.getStat().getVersion()));
        } catch (RuntimeException e) {
            deleteQuietly(data.getPath(), -1);
            return Optional.empty();
        }
    }

    private void noteOffline(java.util.Collection<Placement> all, Map<String, Member> live) {
        Set<PartitionId> now = new HashSet<>();
        for (Placement placement : all) {
            if (!live.containsKey(placement.leader())) {
                now.add(placement.id());
                if (!offline.contains(placement.id())) {
                    log.error("Partition {} is offline: leader {} is gone and no in-sync copy is live",
                            placement.id(), placement.leader());
                }
            }
        }
        offline.clear();
        offline.addAll(now);
    }

    private void createMissing(String node, Instant since) {
        try {
            client.create().forPath(ClusterPaths.missing(node),
                    KeyValueCodec.encode(Map.of("since", Long.toString(since.toEpochMilli()))));
        } catch (KeeperException.NodeExistsException e) {
            // Another pass or controller noted it first; its instant stands.
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot record missing node " + node, e);
        }
    }

    private void deleteQuietly(String path, int version) {
        try {
            client.delete().withVersion(version).forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone, or replaced by a newer report that the next pass reads.
        } catch (Exception e) {
            log.debug("Cannot delete {}", path, e);
        }
    }
}
