package io.mom.cluster;

import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ZkMetadataTest {
    private static TestingServer server;
    private TestNodes cluster;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestNodes.newServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newCluster() {
        cluster = new TestNodes(server);
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void destinationsAndUsersWrittenOnOneNodeAreMirroredOnTheOthers() {
        cluster.start("a", "b");
        ZkMetadata onA = cluster.node("a").metadata();
        ZkMetadata onB = cluster.node("b").metadata();
        List<String> events = new CopyOnWriteArrayList<>();
        onB.addListener((kind, key, value) -> events.add(kind + " " + key + " " + value.map(ZkMetadataTest::text)
                .orElse("<removed>")));

        assertThat(onA.putIfAbsent(MetadataKind.DESTINATION, "orders", bytes("owner=alice"))).isTrue();
        assertThat(onA.putIfAbsent(MetadataKind.DESTINATION, "orders", bytes("owner=mallory"))).isFalse();
        await().until(() -> events.contains("DESTINATION orders owner=alice"));
        onA.put(MetadataKind.USER, "bob/ü", bytes("hash=1"));
        await().until(() -> events.contains("USER bob/ü hash=1"));
        onA.put(MetadataKind.USER, "bob/ü", bytes("hash=2"));
        assertThat(onA.remove(MetadataKind.DESTINATION, "orders")).isTrue();
        assertThat(onA.remove(MetadataKind.DESTINATION, "orders")).isFalse();

        // Each entry's changes arrive in order; different entries may interleave.
        await().untilAsserted(() -> {
            assertThat(events).filteredOn(e -> e.startsWith("DESTINATION"))
                    .containsExactly("DESTINATION orders owner=alice", "DESTINATION orders <removed>");
            assertThat(events).filteredOn(e -> e.startsWith("USER"))
                    .containsExactly("USER bob/ü hash=1", "USER bob/ü hash=2");
        });
        assertThat(onB.get(MetadataKind.USER, "bob/ü").map(ZkMetadataTest::text)).hasValue("hash=2");
        assertThat(onB.entries(MetadataKind.USER)).containsOnlyKeys("bob/ü");
        assertThat(onB.entries(MetadataKind.DESTINATION)).isEmpty();
        assertThat(onB.get(MetadataKind.DESTINATION, "orders")).isEqualTo(Optional.empty());
    }

    @Test
    void aNodeStartedLaterSeesTheExistingMetadata() {
        cluster.start("a");
        cluster.node("a").metadata().put(MetadataKind.DESTINATION, "q", bytes("v"));

        ZkCluster late = cluster.start("late");

        await().untilAsserted(() -> assertThat(late.metadata().entries(MetadataKind.DESTINATION))
                .containsOnlyKeys("q"));
    }

    @Test
    void revokedTokensAreSeenEverywhereUntilTheyExpireAndCanBePurged() {
        cluster.start("a", "b");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        cluster.node("a").metadata().revokeToken("jti-1", now.plusSeconds(60));
        cluster.node("a").metadata().revokeToken("jti-2", now.minusSeconds(1));
        ZkMetadata onB = cluster.node("b").metadata();

        await().untilAsserted(() -> assertThat(onB.revokedTokens()).hasSize(2));
        assertThat(onB.isRevoked("jti-1", now)).isTrue();
        assertThat(onB.isRevoked("jti-1", now.plusSeconds(60))).as("expired revocation").isFalse();
        assertThat(onB.isRevoked("jti-2", now)).isFalse();
        assertThat(onB.isRevoked("other", now)).isFalse();

        assertThat(onB.purgeExpiredTokens(now)).isEqualTo(1);

        await().untilAsserted(() -> assertThat(cluster.node("a").metadata().revokedTokens())
                .isEqualTo(Map.of("jti-1", now.plusSeconds(60))));
    }

    @Test
    void theSigningKeyIsCreatedExactlyOnceWhenManyNodesStartTogether() throws Exception {
        int racers = 6;
        List<ZkMetadata> nodes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            ZkMetadata metadata = new ZkMetadata(cluster.rawClient(), cluster.settings("n" + i));
            metadata.start();
            nodes.add(metadata);
        }
        AtomicInteger generated = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<String>> keys = new ArrayList<>();
            for (ZkMetadata metadata : nodes) {
                Callable<String> race = () -> {
                    go.await();
                    return text(metadata.signingKey(() -> bytes("key-" + generated.incrementAndGet()
                            + "-padded-to-at-least-32-bytes")));
                };
                keys.add(pool.submit(race));
            }
            go.countDown();
            List<String> seen = new ArrayList<>();
            for (Future<String> key : keys) {
                seen.add(key.get(10, TimeUnit.SECONDS));
            }

            assertThat(seen).hasSize(racers).containsOnly(seen.get(0));
            Stat stat = cluster.rawClient().checkExists().forPath(ClusterPaths.JWT_KEY);
            assertThat(stat.getVersion()).as("never overwritten").isZero();
            assertThat(text(cluster.rawClient().getData().forPath(ClusterPaths.JWT_KEY))).isEqualTo(seen.get(0));
            assertThat(text(nodes.get(0).signingKey(() -> bytes("late-key-that-must-not-be-used-at-all"))))
                    .isEqualTo(seen.get(0));
        } finally {
            pool.shutdownNow();
            nodes.forEach(ZkMetadata::close);
        }
    }

    @Test
    void aTooShortSigningKeyIsRefused() throws Exception {
        ZkMetadata metadata = new ZkMetadata(cluster.rawClient(), cluster.settings("a"));
        metadata.start();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> metadata.signingKey(() -> bytes("short")))
                    .isInstanceOf(io.mom.core.MomException.class);
            assertThat(cluster.rawClient().checkExists().forPath(ClusterPaths.JWT_KEY)).isNull();
        } finally {
            metadata.close();
        }
    }
}
