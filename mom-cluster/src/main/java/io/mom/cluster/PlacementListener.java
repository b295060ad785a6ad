package io.mom.cluster;

import java.util.Optional;

/**
 * Told about every change of a partition's placement, as seen by this node's cache of
 * {@code /placements}. A node uses it to react to its role: compare
 * {@code previous.roleOf(me)} with {@code current.roleOf(me)} (start leading, start following and
 * catching up, stop serving and drop the partition's data).
 *
 * <p>Callbacks run on a Curator cache thread, one at a time; they must be quick and must not block
 * on ZooKeeper. Changes of one partition arrive in order (epochs never go back) and changes in
 * quick succession may be merged, but the last call always carries the current placement; changes
 * of different partitions may interleave differently than they were made. When the cache first loads, every existing placement is
 * delivered with an empty {@code previous}.
 */
@FunctionalInterface
public interface PlacementListener {
    /**
     * @param id       the partition
     * @param previous the placement before the change; empty when it was just created
     * @param current  the placement after the change; empty when it was removed
     */
    void changed(PartitionId id, Optional<Placement> previous, Optional<Placement> current);
}
