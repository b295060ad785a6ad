package io.mom.cluster;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover on a real ZooKeeper with 2-second sessions. The measured times (crash or leave to the new
 * placement being visible on a surviving node) are logged as {@code FAILOVER ...}.
 */
class FailoverTest {
    private static final Logger log = LoggerFactory.getLogger(FailoverTest.class);
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

    /** Starts a, b, c and places one partition per node; returns the placements. */
    private List<Placement> threeNodesOnePartitionEach() {
        cluster.start("a", "b", "c");
        cluster.node("a").placements().declare("orders", 3);
        List<Placement> placed = cluster.node("a").placements().whenPlaced("orders").join();
        assertThat(placed).extracting(Placement::leader).containsExactlyInAnyOrder("a", "b", "c");
        return placed;
    }

    private static Placement ledBy(List<Placement> placements, String node) {
        return placements.stream().filter(p -> p.leader().equals(node)).findFirst().orElseThrow();
    }

    /** Completes with the partition's first placement whose leader is not {@code oldLeader}, as seen by {@code on}. */
    private static CompletableFuture<Placement> nextLeader(ZkCluster on, PartitionId id, String oldLeader) {
        CompletableFuture<Placement> promoted = new CompletableFuture<>();
        on.placements().addListener((changed, previous, current) -> current
                .filter(p -> changed.equals(id) && !p.leader().equals(oldLeader))
                .ifPresent(promoted::complete));
        return promoted;
    }

    private static void assertPromoted(Placement before, Placement after) {
        assertThat(before.inSync()).contains(after.leader());
        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
        assertThat(after.roleOf(before.leader())).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
        assertThat(after.inSync()).containsExactly(after.leader());
    }

    @Test
    @Tag("slow")
    void crashedLeaderIsReplacedByItsInSyncReplicaWithTheNextEpochOnceItsSessionExpires() throws Exception {
        List<Placement> placed = threeNodesOnePartitionEach();
        String controller = cluster.awaitController().settings().nodeId();
        String victim = List.of("a", "b", "c").stream().filter(n -> !n.equals(controller)).findFirst().orElseThrow();
        Placement before = ledBy(placed, victim);
        CompletableFuture<Placement> promoted = nextLeader(cluster.node(controller), before.id(), victim);

        long start = System.nanoTime();
        cluster.crash(victim);

        Placement after = promoted.get(15, java.util.concurrent.TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("FAILOVER crash of a leader (not controller), session {} ms: new placement after {} ms",
                TestNodes.SESSION.toMillis(), millis);
        assertPromoted(before, after);
        // Nothing can notice a crash before the server expires the session.
        assertThat(millis).isGreaterThanOrEqualTo(TestNodes.SESSION.toMillis() / 2);
        await().untilAsserted(() -> assertThat(cluster.node(after.leader()).view()
                .isLocalLeader("orders", before.id().partition())).isTrue());
    }

    @Test
    void leaderThatLeavesGracefullyIsReplacedAtOnce() throws Exception {
        List<Placement> placed = threeNodesOnePartitionEach();
        String controller = cluster.awaitController().settings().nodeId();
        String victim = List.of("a", "b", "c").stream().filter(n -> !n.equals(controller)).findFirst().orElseThrow();
        Placement before = ledBy(placed, victim);
        CompletableFuture<Placement> promoted = nextLeader(cluster.node(controller), before.id(), victim);

        long start = System.nanoTime();
        cluster.stop(victim);

        Placement after = promoted.get(15, java.util.concurrent.TimeUnit.SECONDS);
        log.info("FAILOVER graceful leave of a leader: new placement after {} ms",
                (System.nanoTime() - start) / 1_000_000);
        assertPromoted(before, after);
    }

    @Test
    @Tag("slow")
    void crashOfTheControllerElectsAnotherThatPromotesTheControllersPartitions() throws Exception {
        List<Placement> placed = threeNodesOnePartitionEach();
        String controller = cluster.awaitController().settings().nodeId();
        Placement before = ledBy(placed, controller);
        String survivor = before.replicas().get(0);
        CompletableFuture<Placement> promoted = nextLeader(cluster.node(survivor), before.id(), controller);

        long start = System.nanoTime();
        cluster.crash(controller);

        Placement after = promoted.get(15, java.util.concurrent.TimeUnit.SECONDS);
        log.info("FAILOVER crash of the controller that also leads, session {} ms: new placement after {} ms",
                TestNodes.SESSION.toMillis(), (System.nanoTime() - start) / 1_000_000);
        assertPromoted(before, after);
        assertThat(cluster.awaitController().settings().nodeId()).isNotEqualTo(controller);
    }

    @Test
    void lostReplicaLeavesTheInSyncSetAndComesBackAfterReportingCaughtUp() {
        cluster.minInSync(2);
        List<Placement> placed = threeNodesOnePartitionEach();
        String controller = cluster.awaitController().settings().nodeId();
        Placement before = ledBy(placed, controller);
        String replica = before.replicas().get(0);
        CuratorClusterView leaderView = cluster.node(controller).view();
        assertThat(leaderView.writesAllowed("orders", before.id().partition())).isTrue();

        cluster.stop(replica);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Placement now = cluster.node(controller).placements().placement(before.id()).orElseThrow();
            assertThat(now.inSync()).containsExactly(controller);
            assertThat(now.replicas()).containsExactly(replica);
            assertThat(now.epoch()).isEqualTo(before.epoch());
        });
        assertThat(leaderView.isLocalLeader("orders", before.id().partition())).isTrue();
        assertThat(leaderView.writesAllowed("orders", before.id().partition()))
                .as("min in-sync 2 with one copy left").isFalse();

        ZkCluster back = cluster.start(replica);
        back.placements().reportCaughtUp("orders", before.id().partition(), replica);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(leaderView.writesAllowed("orders", before.id().partition())).isTrue());
        assertThat(cluster.node(controller).placements().placement(before.id()).orElseThrow().inSync())
                .containsExactlyInAnyOrder(controller, replica);
    }

    @Test
    void aReportFromAnOlderEpochDoesNotPutAReplicaBackInSync() {
        List<Placement> placed = threeNodesOnePartitionEach();
        String controller = cluster.awaitController().settings().nodeId();
        Placement before = ledBy(placed, controller);
        String replica = before.replicas().get(0);
        cluster.stop(replica);
        await().untilAsserted(() -> assertThat(cluster.node(controller).placements().placement(before.id())
                .orElseThrow().inSync()).containsExactly(controller));
        ZkCluster back = cluster.start(replica);

        back.placements().reportCaughtUp("orders", before.id().partition(), replica, before.epoch() - 1);
        back.placements().reportCaughtUp("orders", before.id().partition(), "nobody");

        // Once the controller has consumed the reports, nothing changed.
        await().untilAsserted(() -> assertThat(back.curator().getChildren()
                .forPath(ClusterPaths.REPORTS + "/orders/" + before.id().partition())).isEmpty());
        assertThat(cluster.node(controller).placements().placement(before.id()).orElseThrow().inSync())
                .containsExactly(controller);
    }

    @Test
    void aLeadersOutOfSyncReportDropsALiveFollowerAndOnlyTheLeaderMayMakeIt() {
        List<Placement> placed = threeNodesOnePartitionEach();
        Placement before = ledBy(placed, "a");
        String follower = before.replicas().get(0);
        String other = List.of("b", "c").stream().filter(n -> !n.equals(follower)).findFirst().orElseThrow();

        cluster.node(other).placements().reportOutOfSync("orders", before.id().partition(), follower,
                before.epoch(), other);
        cluster.node("a").placements().reportOutOfSync("orders", before.id().partition(), follower,
                before.epoch() + 1, "a");
        await().untilAsserted(() -> assertThat(cluster.node("a").curator().getChildren()
                .forPath(ClusterPaths.REPORTS + "/orders/" + before.id().partition())).isEmpty());
        assertThat(cluster.node("a").placements().placement(before.id()).orElseThrow().inSync()).contains(follower);

        CompletableFuture<java.util.Optional<Placement>> out = cluster.node("a").placements().when(before.id(),
                p -> p.isPresent() && !p.get().inSync().contains(follower));
        cluster.node("a").placements().reportOutOfSync("orders", before.id().partition(), follower,
                before.epoch(), "a");
        Placement after = out.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join().orElseThrow();
        assertThat(after.inSync()).containsExactly("a");
        assertThat(after.replicas()).isEqualTo(before.replicas());
        assertThat(after.epoch()).isEqualTo(before.epoch());
        assertThat(after.roleOf(follower)).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
    }
}
