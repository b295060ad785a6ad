package io.mom.server.cluster;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, opened on first use and reused (channels reconnect by
 * themselves). Every call on them carries a peer token signed with the cluster secret
 * ({@link PeerToken}). How the channels connect is the node's {@link PeerTls}: when the node serves TLS,
 * mutual TLS (the node's own certificate as client certificate; the peer's certificate verified against
 * {@code MOM_TLS_CA}, or the node's own chain without it, and its host name against the advertised
 * address); plaintext otherwise. Thread-safe; {@link #close()} shuts every channel down.
 */
final class Peers implements AutoCloseable {
    private final PeerToken tokens;
    private final ChannelCredentials credentials;
    private final Map<String, PeerBroker> byAddress = new ConcurrentHashMap<>();

    Peers(PeerToken tokens, PeerTls tls) {
        this.tokens = tokens;
        this.credentials = tls.channelCredentials();
    }

    PeerToken tokens() {
        return tokens;
    }

    PeerBroker peer(String nodeId, String grpcAddress) {
        return byAddress.computeIfAbsent(nodeId + "@" + grpcAddress, key -> new PeerBroker(nodeId,
                Grpc.newChannelBuilder(grpcAddress, credentials).build(), tokens));
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
