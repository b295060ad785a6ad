package io.mom.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the server, with its one key. The same setting is written {@code http.port} in a
 * properties file, {@code MOM_HTTP_PORT} in the environment and {@code --http-port} on the command line.
 */
public enum Setting {
    NODE_ID("node.id", null, "node identity in the cluster (default: the host name)"),
    HTTP_PORT("http.port", "8080", "REST port; 0 picks a free one"),
    GRPC_PORT("grpc.port", "9090", "gRPC port; 0 picks a free one"),
    BIND("bind", "127.0.0.1", "listen address"),
    DATA_DIR("data.dir", "./data", "embedded store, generated secrets and the generated admin password"),
    STORE("store", "rocksdb", "rocksdb (files under <data dir>/store), mongo, or memory (nothing survives a restart)"),
    MONGO_URI("mongo.uri", null, "MongoDB connection string when store=mongo"),
    MONGO_DATABASE("mongo.database", null, "database of this node when store=mongo (default: mom_<node id>)"),
    MONGO_WRITE_CONCERN("mongo.write.concern", "majority-journaled",
            "when MongoDB acknowledges a write: majority-journaled, majority, journaled or acknowledged"),
    ZK_CONNECT("zk.connect", null, "ZooKeeper connect string; unset means single-node mode"),
    CLUSTER("cluster", "default", "cluster name (ZooKeeper namespace)"),
    ADVERTISED_HOST("advertised.host", null, "address other nodes and clients are told to use"),
    ZK_SESSION_TIMEOUT("zk.session.timeout", "10s", "ZooKeeper session timeout"),
    REPLICATION_FACTOR("replication.factor", "2", "copies of each partition in a cluster"),
    MIN_INSYNC("min.insync", "1", "copies that must have a write before it is acknowledged"),
    FAILOVER_GRACE("failover.grace", "10m", "absence after which a node's copies are rebuilt elsewhere"),
    LOAD_REDIRECT_THRESHOLD("load.redirect.threshold", null, "load above which new streams are redirected"),
    MEMORY_BUDGET("memory.budget", "256m", "payload bytes kept in memory before paging from the store"),
    ADMIN_PASSWORD("admin.password", null, "password of the admin user created on first start (default: generated)"),
    JWT_SECRET("jwt.secret", null, "token signing key, at least 32 characters (default: generated, kept in the data dir)"),
    CLUSTER_SECRET("cluster.secret", null, "authenticates node-to-node calls, with mutual TLS when TLS is on"
            + " (default: derived from the JWT secret)"),
    TLS_CERT("tls.cert", null, "PEM certificate chain; with tls.key, REST is served over HTTPS and gRPC over TLS"
            + " (in a cluster, also the node's client certificate towards its peers: mutual TLS)"),
    TLS_KEY("tls.key", null, "PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC; unencrypted)"),
    TLS_CA("tls.ca", null, "PEM bundle trusted for the certificates of cluster peers (default: those of tls.cert)"),
    TOKEN_TTL("token.ttl", "1h", "lifetime of login tokens"),
    SSE_HEARTBEAT("sse.heartbeat", "15s", "time between heartbeat comments on push streams"),
    MAX_BODY("max.body", "16m", "largest request body"),
    MAX_PAYLOAD("max.payload", "1m", "largest message payload (decoded bytes)"),
    MAX_BATCH("max.batch", "1000", "most messages in one publish"),
    MAX_HEADERS("max.headers", "256", "most headers on one message"),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "10s", "graceful shutdown budget before the process is stopped"),
    LOG_DIR("log.dir", null, "directory of rolling log files (mom.log, 100 MB or one day each, 14 days kept); "
            + "unset means standard output only"),
    METRICS_MAX_DESTINATIONS("metrics.max.destinations", "1000", "destinations with their own series on /metrics; "
            + "the others are summed under destination=\"~other\"");

    private final String key;
    private final String defaultValue;
    private final String help;

    Setting(String key, String defaultValue, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    /** The properties-file key, such as {@code http.port}. */
    public String key() {
        return key;
    }

    /** The environment variable, such as {@code MOM_HTTP_PORT}. */
    public String env() {
        return "MOM_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The command-line flag, such as {@code --http-port}. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String help() {
        return help;
    }

    /** True for settings whose values must never be shown. */
    public boolean isSecret() {
        return this == ADMIN_PASSWORD || this == JWT_SECRET || this == CLUSTER_SECRET;
    }

    static Optional<Setting> byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    static Optional<Setting> byEnv(String name) {
        for (Setting s : values()) {
            if (s.env().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
