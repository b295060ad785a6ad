package io.mom.core.spi;

import java.util.List;

/**
 * What the broker knows of the cluster: its own node, the live nodes, and which node leads each
 * partition. Thread-safe; answers are snapshots.
 */
public interface ClusterView {

    /** One live node. */
    record Node(String id, String restAddress, String grpcAddress, double load) {
    }

    String localNodeId();

    List<Node> nodes();

    /** True when this node leads the partition and may accept writes for it. */
    boolean isLocalLeader(String destination, int partition);

    /** Partition epoch; increases on each leader change. */
    long epoch(String destination, int partition);

    /** The single-node view: this node leads everything at epoch 0. */
    static ClusterView singleNode(String nodeId) {
        return new ClusterView() {
            @Override
            public String localNodeId() {
                return nodeId;
            }

            @Override
            public List<Node> nodes() {
                return List.of(new Node(nodeId, "", "", 0));
            }

            @Override
            public boolean isLocalLeader(String destination, int partition) {
                return true;
            }

            @Override
            public long epoch(String destination, int partition) {
                return 0;
            }
        };
    }
}
