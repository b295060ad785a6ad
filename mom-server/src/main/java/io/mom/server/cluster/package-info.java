/**
 * Cluster mode of the server (active when {@code MOM_ZK_CONNECT} is set): joins the ZooKeeper
 * cluster of {@code mom-cluster}, shares users, revoked tokens, the JWT key and the destination
 * catalog through ZooKeeper, routes every broker call to the node that leads the destination
 * ({@link io.mom.server.cluster.ClusteredBroker}, forwarding over gRPC), ships every log write to the
 * in-sync replicas before it is acknowledged ({@link io.mom.server.cluster.ReplicatingStore}), and
 * takes destinations over when this node is promoted. Entry point: {@link io.mom.server.cluster.ClusterNode}.
 * The protocol and its limits are described in {@code docs/cluster.md}.
 */
package io.mom.server.cluster;
