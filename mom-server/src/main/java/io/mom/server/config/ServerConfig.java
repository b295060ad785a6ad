package io.mom.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of a server, immutable and split by concern. {@link ConfigLoader} builds it
 * from flags, environment, a properties file and defaults; tests may build it directly. Secrets never
 * appear in {@code toString()}.
 */
public record ServerConfig(Node node, Rest rest, Grpc grpc, Store store, Cluster cluster, Security security,
                           Limits limits, Duration shutdownTimeout, Observability observability) {

    public ServerConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rest, "rest");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(observability, "observability");
    }

    /** Identity and addresses of this node. */
    public record Node(String id, String bind, String advertisedHost, Path dataDir) {
    }

    /** The REST listener. */
    public record Rest(int port, Duration sseHeartbeat) {
    }

    /** The gRPC listener. */
    public record Grpc(int port) {
    }

    /** Which store, and its settings. */
    public record Store(Kind kind, Optional<String> mongoUri, String mongoDatabase, long memoryBudget) {
        /** The store implementations. */
        public enum Kind { ROCKSDB, MONGO, MEMORY }

        @Override
        public String toString() {
            return "Store[kind=" + kind + ", mongoUri=" + mongoUri.map(u -> "(set)").orElse("(unset)")
                    + ", mongoDatabase=" + mongoDatabase + ", memoryBudget=" + memoryBudget + "]";
        }
    }

    /** Cluster membership and replication; {@code zkConnect} empty means a single node. */
    public record Cluster(Optional<String> zkConnect, String name, Duration zkSessionTimeout, int replicationFactor,
                          int minInsync, Duration failoverGrace, Optional<Double> loadRedirectThreshold) {
    }

    /** Users, tokens and TLS. */
    public record Security(Optional<String> adminPassword, Optional<String> jwtSecret, Optional<String> clusterSecret,
                           Duration tokenTtl, Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> tlsCa) {
        @Override
        public String toString() {
            return "Security[adminPassword=" + shown(adminPassword) + ", jwtSecret=" + shown(jwtSecret)
                    + ", clusterSecret=" + shown(clusterSecret) + ", tokenTtl=" + tokenTtl + ", tlsCert=" + tlsCert
                    + ", tlsKey=" + tlsKey + ", tlsCa=" + tlsCa + "]";
        }

        private static String shown(Optional<String> secret) {
            return secret.isPresent() ? "(set)" : "(unset)";
        }
    }

    /** Request limits. */
    public record Limits(long maxBodyBytes, int maxPayloadBytes, int maxBatch, int maxHeaders) {
    }

    /**
     * Logs and metrics.
     *
     * @param logDir                 directory of the rolling log files; empty means standard output only
     * @param metricsMaxDestinations destinations with their own series on {@code /metrics}
     */
    public record Observability(Optional<Path> logDir, int metricsMaxDestinations) {
        public Observability {
            Objects.requireNonNull(logDir, "logDir");
            if (metricsMaxDestinations < 0) {
                throw new IllegalArgumentException("metricsMaxDestinations must be >= 0");
            }
        }
    }
}
