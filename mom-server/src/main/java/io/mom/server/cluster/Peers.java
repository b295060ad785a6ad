package io.mom.server.cluster;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, opened on first use and reused (channels reconnect by
 * themselves). Plaintext: node-to-node TLS is not wired yet, peers authenticate with the cluster
 * secret. Thread-safe; {@link #close()} shuts every channel down.
 */
final class Peers implements AutoCloseable {
    private final PeerToken tokens;
    private final Map<String, PeerBroker> byAddress = new ConcurrentHashMap<>();

    Peers(PeerToken tokens) {
        this.tokens = tokens;
    }

    PeerToken tokens() {
        return tokens;
    }

    PeerBroker peer(String nodeId, String grpcAddress) {
        return byAddress.computeIfAbsent(nodeId + "@" + grpcAddress, key -> new PeerBroker(nodeId,
                Grpc.newChannelBuilder(grpcAddress, InsecureChannelCredentials.create()).build(), tokens));
    }

    ManagedChannel channel(String nodeId, String grpcAddress) {
        return peer(nodeId, grpcAddress).channel();
    }

    @Override
    public void close() {
        for (PeerBroker peer : byAddress.values()) {
            peer.channel().shutdownNow();
        }
        for (PeerBroker peer : byAddress.values()) {
            try {
                peer.channel().awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        byAddress.clear();
    }
}
