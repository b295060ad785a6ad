package io.mom.server.config;

import io.mom.store.mongo.MongoStoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static ServerConfig load(Map<String, String> env, String... args) {
        return ConfigLoader.load(args, env);
    }

    @Test
    void defaultsMatchTheDesign() {
        ServerConfig c = load(Map.of("PATH", "/bin", "HOME", "/root"));
        assertThat(c.rest().port()).isEqualTo(8080);
        assertThat(c.grpc().port()).isEqualTo(9090);
        assertThat(c.node().bind()).isEqualTo("127.0.0.1");
        assertThat(c.node().advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(c.node().dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.node().id()).isNotBlank();
        assertThat(c.store().kind()).isEqualTo(ServerConfig.Store.Kind.ROCKSDB);
        assertThat(c.store().mongoDatabase()).isEqualTo(MongoStoreSettings.databaseForNode(c.node().id()));
        assertThat(c.store().mongoWriteConcern()).isEqualTo(MongoStoreSettings.Durability.MAJORITY_JOURNALED);
        assertThat(c.store().memoryBudget()).isEqualTo(256L << 20);
        assertThat(c.cluster().zkConnect()).isEmpty();
        assertThat(c.cluster().name()).isEqualTo("default");
        assertThat(c.cluster().zkSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.cluster().replicationFactor()).isEqualTo(2);
        assertThat(c.cluster().minInsync()).isEqualTo(1);
        assertThat(c.cluster().failoverGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.cluster().loadRedirectThreshold()).isEmpty();
        assertThat(c.security().adminPassword()).isEmpty();
        assertThat(c.security().tokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.rest().sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.limits()).isEqualTo(new ServerConfig.Limits(16L << 20, 1 << 20, 1000, 256));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
        Path file = dir.resolve("mom.properties");
        Files.writeString(file, "http.port=1111\ngrpc.port=2222\nbind=0.0.0.0\ncluster=from-file\n");
        ServerConfig c = load(Map.of("MOM_HTTP_PORT", "3333", "MOM_GRPC_PORT", "4444"),
                "--config=" + file, "--http-port=5555");
        assertThat(c.rest().port()).isEqualTo(5555);
        assertThat(c.grpc().port()).isEqualTo(4444);
        assertThat(c.node().bind()).isEqualTo("0.0.0.0");
        assertThat(c.cluster().name()).isEqualTo("from-file");
        assertThat(c.node().advertisedHost()).isNotEqualTo("0.0.0.0");
        assertThat(c.cluster().replicationFactor()).isEqualTo(2);
    }

    @Test
    void configFileMayComeFromTheEnvironment() throws Exception {
        Path file = dir.resolve("env.properties");
        Files.writeString(file, "node.id=node-7\n");
        assertThat(load(Map.of("MOM_CONFIG", file.toString())).node().id()).isEqualTo("node-7");
    }

    @Test
    void everyDesignSettingIsAccepted() {
        ServerConfig c = load(Map.ofEntries(
                Map.entry("MOM_NODE_ID", "n1"), Map.entry("MOM_HTTP_PORT", "0"), Map.entry("MOM_GRPC_PORT", "0"),
                Map.entry("MOM_BIND", "127.0.0.2"), Map.entry("MOM_DATA_DIR", "/tmp/x"), Map.entry("MOM_STORE", "mongo"),
                Map.entry("MOM_MONGO_URI", "mongodb://h"), Map.entry("MOM_ZK_CONNECT", "zk:2181"),
                Map.entry("MOM_CLUSTER", "c1"), Map.entry("MOM_ADVERTISED_HOST", "h1"),
                Map.entry("MOM_ZK_SESSION_TIMEOUT", "500ms"), Map.entry("MOM_REPLICATION_FACTOR", "3"),
                Map.entry("MOM_MIN_INSYNC", "2"), Map.entry("MOM_FAILOVER_GRACE", "30s"),
                Map.entry("MOM_LOAD_REDIRECT_THRESHOLD", "0.8"), Map.entry("MOM_MONGO_DATABASE", "db1"),
                Map.entry("MOM_MONGO_WRITE_CONCERN", "majority"),
                Map.entry("MOM_MEMORY_BUDGET", "1g"), Map.entry("MOM_ADMIN_PASSWORD", "pw"),
                Map.entry("MOM_JWT_SECRET", "x".repeat(32)), Map.entry("MOM_CLUSTER_SECRET", "cs"),
                Map.entry("MOM_TLS_CERT", "/c.pem"), Map.entry("MOM_TLS_KEY", "/k.pem"), Map.entry("MOM_TLS_CA", "/ca.pem")));
        assertThat(c.node()).isEqualTo(new ServerConfig.Node("n1", "127.0.0.2", "h1", Path.of("/tmp/x")));
        assertThat(c.store()).isEqualTo(new ServerConfig.Store(ServerConfig.Store.Kind.MONGO,
                Optional.of("mongodb://h"), "db1", MongoStoreSettings.Durability.MAJORITY, 1L << 30));
        assertThat(c.cluster()).isEqualTo(new ServerConfig.Cluster(Optional.of("zk:2181"), "c1",
                Duration.ofMillis(500), 3, 2, Duration.ofSeconds(30), Optional.of(0.8)));
        assertThat(c.security().tlsCa()).contains(Path.of("/ca.pem"));
        assertThat(c.security().clusterSecret()).contains("cs");
    }

    @Test
    void unknownKeysAreRejectedFromEverySource() throws Exception {
        assertRejected(() -> load(Map.of(), "--htp-port=1"), "--htp-port (command line)");
        assertRejected(() -> load(Map.of("MOM_HTTP_PROT", "1")), "MOM_HTTP_PROT (environment)");
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "http.prot=1\n");
        assertRejected(() -> load(Map.of(), "--config=" + file), "http.prot (" + file + ")");
        assertRejected(() -> load(Map.of(), "http-port=1"), "--name=value");
        assertRejected(() -> load(Map.of(), "--config=" + dir.resolve("missing")), "does not exist");
        assertThat(load(Map.of("PATH", "/bin", "MOMENTUM", "x")).rest().port()).isEqualTo(8080);
    }

    @Test
    void malformedValuesNameTheirSource() {
        assertRejected(() -> load(Map.of("MOM_HTTP_PORT", "eighty")), "MOM_HTTP_PORT must be an integer between 0 and 65535, got 'eighty'");
        assertRejected(() -> load(Map.of(), "--http-port=70000"), "--http-port must be");
        assertRejected(() -> load(Map.of("MOM_ZK_SESSION_TIMEOUT", "10")), "MOM_ZK_SESSION_TIMEOUT must be a duration");
        assertRejected(() -> load(Map.of("MOM_MEMORY_BUDGET", "lots")), "MOM_MEMORY_BUDGET must be a size");
        assertRejected(() -> load(Map.of("MOM_STORE", "postgres")), "rocksdb, mongo or memory");
        assertRejected(() -> load(Map.of("MOM_STORE", "mongo")), "MOM_MONGO_URI");
        assertRejected(() -> load(Map.of("MOM_JWT_SECRET", "short")), "at least 32 characters");
        assertRejected(() -> load(Map.of("MOM_TLS_CERT", "/c.pem")), "MOM_TLS_KEY");
        assertRejected(() -> load(Map.of("MOM_MIN_INSYNC", "3")), "cannot exceed");
        assertRejected(() -> load(Map.of("MOM_NODE_ID", "bad id")), "MOM_NODE_ID must be");
        assertRejected(() -> load(Map.of("MOM_LOAD_REDIRECT_THRESHOLD", "-1")), "a positive number");
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() {
        ServerConfig c = load(Map.of("MOM_ADMIN_PASSWORD", "hunter2-secret", "MOM_JWT_SECRET", "s".repeat(40)));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("s".repeat(40)).contains("(set)");
        assertThatThrownBy(() -> load(Map.of("MOM_JWT_SECRET", "tiny-secret")))
                .hasMessageNotContaining("tiny-secret");
    }

    @Test
    void durationsAndSizesUseTheDocumentedUnits() {
        assertThat(Units.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Units.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.duration(" 2D ")).isEqualTo(Duration.ofDays(2));
        assertThat(Units.size("1024")).isEqualTo(1024);
        assertThat(Units.size("512k")).isEqualTo(512L << 10);
        assertThat(Units.size("256m")).isEqualTo(256L << 20);
        assertThat(Units.size("1g")).isEqualTo(1L << 30);
        assertThat(Units.size("16MB")).isEqualTo(16L << 20);
        for (String bad : new String[]{"", "10", "1.5s", "-1s", "1y", "s"}) {
            assertThatThrownBy(() -> Units.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[]{"", "1t", "1.5m", "-1", "m", "999999999999999g"}) {
            assertThatThrownBy(() -> Units.size(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void assertRejected(Runnable load, String messagePart) {
        assertThatThrownBy(load::run).isInstanceOf(ConfigException.class).hasMessageContaining(messagePart);
    }
}
