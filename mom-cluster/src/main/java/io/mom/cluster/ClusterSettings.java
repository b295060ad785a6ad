package io.mom.cluster;

import io.mom.core.MomException;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Settings of one node of a ZooKeeper-coordinated cluster. Immutable; build with {@link #builder()},
 * which validates every value in {@link Builder#build()} and throws {@link MomException}
 * ({@code INVALID_REQUEST}) naming the first bad setting.
 *
 * <p>All nodes of a cluster share {@code clusterName} (the ZooKeeper namespace
 * {@code /mom/<clusterName>}), and should share {@code replicationFactor}, {@code minInSync} and
 * {@code failoverGrace}: only the elected controller's values are applied to placements.
 *
 * @param clusterName           cluster name, {@code [A-Za-z0-9._-]{1,64}}; default {@code default}
 * @param zkConnect             ZooKeeper connect string ({@code host:port[,host:port...]}), required
 * @param nodeId                node identity, {@code [A-Za-z0-9._-]{1,64}}, required
 * @param restAddress           address clients use for REST ({@code host:port}); may be empty
 * @param grpcAddress           address clients and peers use for gRPC ({@code host:port}); may be empty
 * @param sessionTimeout        ZooKeeper session timeout: how fast a dead node is detected; default 10 s
 * @param connectTimeout        how long start-up waits for a first ZooKeeper connection; default 15 s
 * @param replicationFactor     copies of each partition (leader included); default 2
 * @param minInSync             in-sync copies (leader included) a partition needs to accept writes; default 1
 * @param failoverGrace         absence after which a node is declared fallen; default 10 min
 * @param loadRedirectThreshold load above which new streams are redirected; empty = off (default)
 */
public record ClusterSettings(
        String clusterName,
        String zkConnect,
        String nodeId,
        String restAddress,
        String grpcAddress,
        Duration sessionTimeout,
        Duration connectTimeout,
        int replicationFactor,
        int minInSync,
        Duration failoverGrace,
        OptionalDouble loadRedirectThreshold) {

    /** Names usable as a cluster name or node id: they are used verbatim in ZooKeeper paths. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ClusterSettings {
        Objects.requireNonNull(loadRedirectThreshold, "loadRedirectThreshold");
        requireName("clusterName", clusterName);
        requireName("nodeId", nodeId);
        if (zkConnect == null || zkConnect.isBlank()) {
            throw MomException.invalid("zkConnect is required");
        }
        requireAddress("restAddress", restAddress);
        requireAddress("grpcAddress", grpcAddress);
        requirePositive("sessionTimeout", sessionTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("failoverGrace", failoverGrace);
        if (replicationFactor < 1 || replicationFactor > 16) {
            throw MomException.invalid("replicationFactor must be between 1 and 16, got " + replicationFactor);
        }
        if (minInSync < 1 || minInSync > replicationFactor) {
            throw MomException.invalid("minInSync must be between 1 and replicationFactor ("
                    + replicationFactor + "), got " + minInSync);
        }
        if (loadRedirectThreshold.isPresent() && !(loadRedirectThreshold.getAsDouble() > 0)) {
            throw MomException.invalid("loadRedirectThreshold must be positive");
        }
    }

    /** The Curator namespace of this cluster: {@code mom/<clusterName>} (no leading slash). */
    public String namespace() {
        return "mom/" + clusterName;
    }

    /** The absolute ZooKeeper path of this cluster's root: {@code /mom/<clusterName>}. */
    public String zkRoot() {
        return "/" + namespace();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy of these settings as a builder, for variations (another node id, say). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.clusterName = clusterName;
        b.zkConnect = zkConnect;
        b.nodeId = nodeId;
        b.restAddress = restAddress;
        b.grpcAddress = grpcAddress;
        b.sessionTimeout = sessionTimeout;
        b.connectTimeout = connectTimeout;
        b.replicationFactor = replicationFactor;
        b.minInSync = minInSync;
        b.failoverGrace = failoverGrace;
        b.loadRedirectThreshold = loadRedirectThreshold;
        return b;
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw MomException.invalid(what + " must match " + NAME.pattern() + ", got '" + value + "'");
        }
    }

    private static void requireAddress(String what, String value) {
        if (value == null) {
            throw MomException.invalid(what + " must not be null (use \"\" for none)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',') {
                throw MomException.invalid(what + " must not contain spaces, commas or control characters");
            }
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw MomException.invalid(what + " must be a positive duration, got " + value);
        }
    }

    /** Mutable builder; not thread-safe. Only {@code zkConnect} and {@code nodeId} are required. */
    public static final class Builder {
        private String clusterName = "default";
        private String zkConnect;
        private String nodeId;
        private String restAddress = "";
        private String grpcAddress = "";
        private Duration sessionTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(15);
        private int replicationFactor = 2;
        private int minInSync = 1;
        private Duration failoverGrace = Duration.ofMinutes(10);
        private OptionalDouble loadRedirectThreshold = OptionalDouble.empty();

        private Builder() {
        }

        public Builder clusterName(String value) {
            this.clusterName = value;
            return this;
        }

        public Builder zkConnect(String value) {
            this.zkConnect = value;
            return this;
        }

        public Builder nodeId(String value) {
            this.nodeId = value;
            return this;
        }

        public Builder restAddress(String value) {
            this.restAddress = value;
            return this;
        }

        public Builder grpcAddress(String value) {
            this.grpcAddress = value;
            return this;
        }

        public Builder sessionTimeout(Duration value) {
            this.sessionTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder replicationFactor(int value) {
            this.replicationFactor = value;
            return this;
        }

        public Builder minInSync(int value) {
            this.minInSync = value;
            return this;
        }

        public Builder failoverGrace(Duration value) {
            this.failoverGrace = value;
            return this;
        }

        /** Turns load-based redirection on at this load. */
        public Builder loadRedirectThreshold(double value) {
            this.loadRedirectThreshold = OptionalDouble.of(value);
            return this;
        }

        /** Turns load-based redirection off (the default). */
        public Builder noLoadRedirect() {
            this.loadRedirectThreshold = OptionalDouble.empty();
            return this;
        }

        /** Validates and builds; throws {@link MomException} ({@code INVALID_REQUEST}) on a bad value. */
        public ClusterSettings build() {
            return new ClusterSettings(clusterName, zkConnect, nodeId, restAddress, grpcAddress, sessionTimeout,
                    connectTimeout, replicationFactor, minInSync, failoverGrace, loadRedirectThreshold);
        }
    }
}
