package io.mom.cluster;

/** What one node is for one partition, as read from its {@link Placement}. */
public enum PartitionRole {
    /** Accepts writes (while its session is healthy and the in-sync set is large enough). */
    LEADER,
    /** Holds every acknowledged write; may be promoted to leader. */
    IN_SYNC_REPLICA,
    /** Assigned, but must catch up from the leader and report it before it counts as a copy. */
    CATCHING_UP_REPLICA,
    /** Not assigned; keeps no data for the partition. */
    NONE
}
