package io.mom.transport.rest;

import java.util.List;

/**
 * What {@code GET /v1/cluster} shows: nodes, controller and partition placements. The server supplies
 * the implementation (single node, or the ZooKeeper view in a cluster). Thread-safe; each call returns a
 * fresh snapshot.
 */
@FunctionalInterface
public interface ClusterStatus {

    /** One node of the cluster. */
    record Node(String id, String restAddress, String grpcAddress, boolean alive, double load) {
    }

    /** Where one partition of a destination lives. */
    record Placement(String destination, int partition, String leader, List<String> replicas, long epoch) {
        public Placement {
            replicas = List.copyOf(replicas);
        }
    }

    /** The cluster at one moment. */
    record Snapshot(List<Node> nodes, String controller, List<Placement> placements) {
        public Snapshot {
            nodes = List.copyOf(nodes);
            placements = List.copyOf(placements);
        }
    }

    Snapshot snapshot();
}
