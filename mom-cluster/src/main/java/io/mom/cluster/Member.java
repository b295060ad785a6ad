package io.mom.cluster;

import java.util.Objects;

/**
 * One live node of the cluster as registered in ZooKeeper: its id, the addresses it advertises and
 * the load it last reported (a non-negative figure chosen by the server, for example open
 * connections plus messages per second; only comparisons between nodes matter).
 *
 * @param nodeId      node identity
 * @param restAddress REST address ({@code host:port}), may be empty
 * @param grpcAddress gRPC address ({@code host:port}), may be empty
 * @param load        last reported load, {@code >= 0}
 */
public record Member(String nodeId, String restAddress, String grpcAddress, double load) {
    public Member {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(restAddress, "restAddress");
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        if (!(load >= 0) || Double.isInfinite(load)) {
            throw new IllegalArgumentException("load must be a finite number >= 0, got " + load);
        }
    }

    Member withLoad(double newLoad) {
        return new Member(nodeId, restAddress, grpcAddress, newLoad);
    }
}
