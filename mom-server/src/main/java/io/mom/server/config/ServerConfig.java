package io.mom.server.config;

import io.mom.store.mongo.MongoStoreSettings;
import io.mom.store.mongo.MongoStoreSettings.Durability;

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

    /**
     * Which store, and its settings. {@code memoryBudget} bounds the payload bytes the broker keeps in memory
     * with a durable store; {@code mongoUri}, {@code mongoDatabase} and {@code mongoWriteConcern} are used by
     * {@link Kind#MONGO} only.
     */
    public record Store(Kind kind, Optional<String> mongoUri, String mongoDatabase, Durability mongoWriteConcern,
                        long memoryBudget) {
        /** The store implementations. */
        public enum Kind { ROCKSDB, MONGO, MEMORY }

        public Store {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(mongoUri, "mongoUri");
            Objects.requireNonNull(mongoDatabase, "mongoDatabase");
            Objects.requireNonNull(mongoWriteConcern, "mongoWriteConcern");
        }

        /**
         * The MongoDB settings of this node; throws {@link io.mom.core.MomException} when the URI is unset or
         * invalid, or the database name is not one MongoDB accepts.
         */
        public MongoStoreSettings mongoSettings() {
            String uri = mongoUri.orElseThrow(() -> new ConfigException("store=mongo needs "
                    + Setting.MONGO_URI.env() + " (" + Setting.MONGO_URI.key() + ")"));
            return MongoStoreSettings.builder(uri, mongoDatabase).durability(mongoWriteConcern).build();
        }

        @Override
        public String toString() {
            return "Store[kind=" + kind + ", mongoUri=" + mongoUri.map(u -> "(set)").orElse("(unset)")
                    + ", mongoDatabase=" + mongoDatabase + ", mongoWriteConcern=" + mongoWriteConcern
                    + ", memoryBudget=" + memoryBudget + "]";
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
