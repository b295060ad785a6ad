/**
 * MOM's cluster coordination over ZooKeeper (Apache Curator): membership, controller election,
 * partition placement with epochs and in-sync sets, failover, redistribution after a grace period,
 * cluster-wide metadata, and the broker's {@link io.mom.core.spi.ClusterView}.
 *
 * <p>Entry point: {@link io.mom.cluster.ZkCluster#start(io.mom.cluster.ClusterSettings)} builds and
 * starts, for one node, {@link io.mom.cluster.ZkMembership}, {@link io.mom.cluster.ZkPlacements},
 * {@link io.mom.cluster.ZkMetadata}, {@link io.mom.cluster.Controller} and
 * {@link io.mom.cluster.CuratorClusterView}. {@link io.mom.cluster.PlacementPolicy} holds the
 * placement decisions as pure functions. Everything lives under the ZooKeeper path
 * {@code /mom/<cluster>}; the layout is documented in {@code ClusterPaths}.
 *
 * <p>Node-to-node replication (shipping batches to in-sync replicas, catch-up, truncation) is not
 * here: it belongs to the gRPC transport, which reads placements from this package and reports
 * caught-up followers through {@link io.mom.cluster.ZkPlacements#reportCaughtUp}.
 */
package io.mom.cluster;
