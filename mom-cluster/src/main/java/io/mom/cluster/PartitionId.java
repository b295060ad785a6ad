package io.mom.cluster;

import java.util.Objects;

/**
 * One partition of one destination: the unit that has a leader, replicas and an epoch.
 *
 * @param destination destination name (already validated by the broker)
 * @param partition   partition index, {@code >= 0}
 */
public record PartitionId(String destination, int partition) implements Comparable<PartitionId> {
    public PartitionId {
        Objects.requireNonNull(destination, "destination");
        if (destination.isEmpty()) {
            throw new IllegalArgumentException("bad destination name '" + destination + "'");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
    }

    @Override
    public int compareTo(PartitionId other) {
        int byName = destination.compareTo(other.destination);
        return byName != 0 ? byName : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return destination + "#" + partition;
    }
}
