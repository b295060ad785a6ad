package io.mom.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds one partition: its leader, its other replicas (followers), which of the copies are in
 * sync, and the epoch. Immutable value.
 *
 * <p><b>Epoch.</b> The epoch numbers leadership terms: it starts at 1 when the partition is first
 * placed and increases by one each time the controller gives the partition a new leader. It does
 * <em>not</em> change when the in-sync set shrinks or grows or when a follower is replaced: those
 * changes do not alter which node may write, and replicas fence on the epoch, so bumping it would
 * only make replicas reject the unchanged leader. Every change, epoch or not, does change the
 * ZooKeeper {@link #version() version}, which is what compare-and-set writes check.
 *
 * <p><b>In-sync set.</b> The copies (leader included) that hold every acknowledged write. A new
 * placement starts with every assigned node in sync (all are empty). The leader is always a member;
 * a follower leaves the set when its node disappears and comes back only when it reports it has
 * caught up at the current epoch. Only in-sync followers may be promoted, so no acknowledged write
 * is lost by a failover.
 *
 * @param id       the partition
 * @param leader   node id of the leader
 * @param replicas node ids of the followers, in assignment order, never containing the leader
 * @param inSync   node ids (leader included) of the in-sync copies
 * @param epoch    leadership term, {@code >= 1}
 * @param version  ZooKeeper data version this value was read at, or {@code -1} if never stored
 */
public record Placement(PartitionId id, String leader, List<String> replicas, Set<String> inSync, long epoch,
                        int version) {

    public Placement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(leader, "leader");
        replicas = List.copyOf(replicas);
        inSync = Set.copyOf(inSync);
        if (replicas.contains(leader) || new HashSet<>(replicas).size() != replicas.size()) {
            throw new IllegalArgumentException("replicas must be distinct and exclude the leader: " + replicas);
        }
        if (!inSync.contains(leader)) {
            throw new IllegalArgumentException("the leader must be in sync: " + inSync);
        }
        for (String node : inSync) {
            if (!node.equals(leader) && !replicas.contains(node)) {
                throw new IllegalArgumentException("in-sync node " + node + " is not assigned");
            }
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
    }

    /** A brand-new placement at epoch 1 with every assigned node in sync. */
    public static Placement initial(PartitionId id, String leader, List<String> replicas) {
        Set<String> all = new HashSet<>(replicas);
        all.add(leader);
        return new Placement(id, leader, replicas, all, 1, -1);
    }

    /** The leader followed by the followers. */
    public List<String> assigned() {
        List<String> all = new ArrayList<>(replicas.size() + 1);
        all.add(leader);
        all.addAll(replicas);
        return all;
    }

    /** What {@code nodeId} is for this partition. */
    public PartitionRole roleOf(String nodeId) {
        if (leader.equals(nodeId)) {
            return PartitionRole.LEADER;
        }
        if (!replicas.contains(nodeId)) {
            return PartitionRole.NONE;
        }
        return inSync.contains(nodeId) ? PartitionRole.IN_SYNC_REPLICA : PartitionRole.CATCHING_UP_REPLICA;
    }

    /** True when the in-sync set has at least {@code minInSync} copies, the condition for accepting writes. */
    public boolean writable(int minInSync) {
        return inSync.size() >= minInSync;
    }

    /** True when both describe the same assignment (everything but the version). */
    public boolean sameAssignment(Placement other) {
        return id.equals(other.id) && leader.equals(other.leader) && replicas.equals(other.replicas)
                && inSync.equals(other.inSync) && epoch == other.epoch;
    }

    public Placement withVersion(int newVersion) {
        return new Placement(id, leader, replicas, inSync, epoch, newVersion);
    }

    Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("leader", leader);
        fields.put("replicas", String.join(",", replicas));
        fields.put("insync", String.join(",", new TreeSet<>(inSync)));
        fields.put("epoch", Long.toString(epoch));
        return fields;
    }

    static Placement fromFields(PartitionId id, Map<String, String> fields, int version) {
        return new Placement(id, KeyValueCodec.require(fields, "leader"),
                split(fields.getOrDefault("replicas", "")), Set.copyOf(split(fields.getOrDefault("insync", ""))),
                Long.parseLong(KeyValueCodec.require(fields, "epoch")), version);
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }

    @Override
    public String toString() {
        return id + "{leader=" + leader + ", replicas=" + replicas + ", inSync=" + new TreeSet<>(inSync)
                + ", epoch=" + epoch + ", v" + version + "}";
    }
}
