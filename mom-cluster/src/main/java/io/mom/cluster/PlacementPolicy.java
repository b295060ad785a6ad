package io.mom.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The placement decisions of the controller, as pure functions of the current placements and the
 * live nodes: no ZooKeeper, no clock, no state. Immutable and thread-safe.
 *
 * <p>Rules applied by {@link #plan}, partition by partition (in {@link PartitionId} order):
 * <ol>
 *   <li>A follower whose node is not live leaves the in-sync set (epoch unchanged; see
 *       {@link Placement} for why).</li>
 *   <li>A leader whose node is not live is replaced by a live in-sync follower with epoch + 1; the
 *       old leader stays assigned as a catching-up follower, so if it returns within the grace period
 *       it catches up and serves again. With no live in-sync follower the partition stays
 *       leaderless (offline) rather than lose acknowledged writes; it recovers when the leader or an
 *       in-sync follower returns.</li>
 *   <li>A follower on a fallen node (absent longer than the grace period) is unassigned.</li>
 *   <li>A partition with fewer than {@code replicationFactor - 1} followers gets more, from live
 *       nodes not yet holding it, as catching-up followers (they count once they report caught up).
 *       This restores the factor after a node fell and uses nodes that joined later.</li>
 * </ol>
 * New partitions get a leader and {@code replicationFactor - 1} followers on distinct live nodes.
 * Nodes are chosen to spread the work: a leader goes to the node leading the fewest partitions,
 * a follower to the node holding the fewest partitions; ties go to the lower load, then the lower
 * node id, so decisions are deterministic.
 */
public final class PlacementPolicy {
    private final int replicationFactor;

    public PlacementPolicy(int replicationFactor) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, got " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    /**
     * One reconciliation step.
     *
     * @param current the stored placements
     * @param unplaced partitions that have no placement yet
     * @param live    live nodes by id
     * @param fallen  ids of nodes declared fallen (never live)
     * @return the placements to write: changed ones keep the version they were read at (for
     *         compare-and-set), new ones have version {@code -1}; empty when nothing is to change
     */
    public List<Placement> plan(Collection<Placement> current, Collection<PartitionId> unplaced,
                                Map<String, Member> live, Set<String> fallen) {
        Tally tally = new Tally(live);
        current.forEach(tally::add);
        List<Placement> changes = new ArrayList<>();
        for (Placement placement : current.stream().sorted(Comparator.comparing(Placement::id)).toList()) {
            Placement next = repair(placement, live, fallen, tally);
            if (!next.sameAssignment(placement)) {
                tally.remove(placement);
                tally.add(next);
                changes.add(next);
            }
        }
        if (!live.isEmpty()) {
            for (PartitionId id : unplaced.stream().sorted().toList()) {
                Placement fresh = assign(id, tally);
                tally.add(fresh);
                changes.add(fresh);
            }
        }
        return changes;
    }

    /**
     * Applies a "caught up" report: {@code nodeId} joins the in-sync set if it is a live follower of
     * the partition and the report was made at the current epoch (a report from an older term says
     * nothing about the current leader's log).
     *
     * @return the changed placement, or empty when the report does not apply
     */
    public Optional<Placement> caughtUp(Placement current, String nodeId, long reportedEpoch, Set<String> live) {
        if (reportedEpoch != current.epoch() || !current.replicas().contains(nodeId) || !live.contains(nodeId)
                || current.inSync().contains(nodeId)) {
            return Optional.empty();
        }
        Set<String> inSync = new HashSet<>(current.inSync());
        inSync.add(nodeId);
        return Optional.of(new Placement(current.id(), current.leader(), current.replicas(), inSync,
                current.epoch(), current.version()));
    }

    /**
     * Applies an "out of sync" report: {@code nodeId} leaves the in-sync set if {@code reporter} is
     * the partition's leader at the reported (current) epoch and {@code nodeId} is an in-sync
     * follower. Epoch unchanged (see {@link Placement}).
     *
     * @return the changed placement, or empty when the report does not apply
     */
    public Optional<Placement> outOfSync(Placement current, String nodeId, long reportedEpoch, String reporter) {
        if (reportedEpoch != current.epoch() || !current.leader().equals(reporter) || nodeId.equals(reporter)
                || !current.inSync().contains(nodeId)) {
            return Optional.empty();
        }
        Set<String> inSync = new HashSet<>(current.inSync());
        inSync.remove(nodeId);
        return Optional.of(new Placement(current.id(), current.leader(), current.replicas(), inSync,
                current.epoch(), current.version()));
    }

    private Placement assign(PartitionId id, Tally tally) {
        String leader = tally.candidates(List.of()).min(tally.leaderOrder()).orElseThrow();
        List<String> replicas = new ArrayList<>();
        addFollowers(leader, replicas, tally);
        return Placement.initial(id, leader, replicas);
    }

    private Placement repair(Placement placement, Map<String, Member> live, Set<String> fallen, Tally tally) {
        String leader = placement.leader();
        List<String> replicas = new ArrayList<>(placement.replicas());
        Set<String> inSync = new HashSet<>(placement.inSync());
        long epoch = placement.epoch();

        String currentLeader = leader;
        inSync.removeIf(node -> !node.equals(currentLeader) && !live.containsKey(node));

        if (!live.containsKey(leader)) {
            Optional<String> promoted = inSync.stream().filter(node -> !node.equals(currentLeader))
                    .min(tally.leaderOrder());
            if (promoted.isPresent()) {
                replicas.remove(promoted.get());
                replicas.add(leader);
                inSync.remove(leader);
                leader = promoted.get();
                epoch++;
            }
        }

        // Fallen nodes are not live, so step 1 already took them out of the in-sync set.
        replicas.removeIf(fallen::contains);
        addFollowers(leader, replicas, tally);
        return new Placement(placement.id(), leader, replicas, inSync, epoch, placement.version());
    }

    private void addFollowers(String leader, List<String> replicas, Tally tally) {
        while (replicas.size() < replicationFactor - 1) {
            List<String> taken = new ArrayList<>(replicas);
            taken.add(leader);
            Optional<String> next = tally.candidates(taken).min(tally.followerOrder());
            if (next.isEmpty()) {
                return;
            }
            replicas.add(next.get());
        }
    }

    /** Per-node counts of led and held partitions over the placements seen so far. Not thread-safe. */
    private static final class Tally {
        private final Map<String, Member> live;
        private final Map<String, Integer> leaders = new HashMap<>();
        private final Map<String, Integer> held = new HashMap<>();

        Tally(Map<String, Member> live) {
            this.live = live;
        }

        void add(Placement placement) {
            leaders.merge(placement.leader(), 1, Integer::sum);
            placement.assigned().forEach(node -> held.merge(node, 1, Integer::sum));
        }

        void remove(Placement placement) {
            leaders.merge(placement.leader(), -1, Integer::sum);
            placement.assigned().forEach(node -> held.merge(node, -1, Integer::sum));
        }

        java.util.stream.Stream<String> candidates(Collection<String> excluded) {
            return live.keySet().stream().filter(node -> !excluded.contains(node));
        }

        Comparator<String> leaderOrder() {
            return Comparator.<String>comparingInt(node -> leaders.getOrDefault(node, 0))
                    .thenComparingInt(node -> held.getOrDefault(node, 0))
                    .thenComparingDouble(this::load)
                    .thenComparing(Comparator.naturalOrder());
        }

        Comparator<String> followerOrder() {
            return Comparator.<String>comparingInt(node -> held.getOrDefault(node, 0))
                    .thenComparingDouble(this::load)
                    .thenComparing(Comparator.naturalOrder());
        }

        private double load(String node) {
            Member member = live.get(node);
            return member == null ? Double.MAX_VALUE : member.load();
        }
    }
}
