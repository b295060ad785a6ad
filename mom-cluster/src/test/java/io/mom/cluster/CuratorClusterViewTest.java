package io.mom.cluster;

import io.mom.core.spi.ClusterView;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CuratorClusterViewTest extends SharedZooKeeperTest {
    @Test
    void viewShowsLiveNodesLeadersAndEpochs() {
        cluster.start("a", "b");
        cluster.node("a").placements().declare("q", 2);
        Placement p0 = cluster.node("a").placements().whenPlaced("q").join().get(0);
        cluster.node("b").membership().updateLoad(3);
        CuratorClusterView viewA = cluster.node("a").view();
        CuratorClusterView viewB = cluster.node("b").view();

        await().untilAsserted(() -> assertThat(viewA.nodes()).containsExactly(
                new ClusterView.Node("a", "127.0.0.1:801", "a:9090", 0),
                new ClusterView.Node("b", "127.0.0.1:801", "b:9090", 3)));
        await().untilAsserted(() -> {
            assertThat(cluster.node(p0.leader()).view().isLocalLeader("q", 0)).isTrue();
            assertThat(cluster.node(p0.replicas().get(0)).view().isLocalLeader("q", 0)).isFalse();
            assertThat(viewB.epoch("q", 0)).isEqualTo(1);
        });
        assertThat(viewA.localNodeId()).isEqualTo("a");
        assertThat(viewA.epoch("unknown", 0)).isEqualTo(-1);
        assertThat(viewA.isLocalLeader("unknown", 0)).isFalse();
        assertThat(viewB.leader("q", 0)).hasValueSatisfying(n -> assertThat(n.id()).isEqualTo(p0.leader()));
        assertThat(cluster.node(p0.leader()).view().writesAllowed("q", 0)).isTrue();
    }

    @Test
    void leaderStopsLeadingWhileZooKeeperIsUnreachableAndResumesOnceConfirmed() throws Exception {
        try (TestingServer own = TestNodes.newServer(); TestNodes nodes = new TestNodes(own)) {
            ZkCluster a = nodes.start("a");
            a.placements().declare("q", 1);
            a.placements().whenPlaced("q").join();
            CuratorClusterView view = a.view();
            await().until(() -> view.isLocalLeader("q", 0));

            own.stop();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(view.leaderSessionHealthy()).isFalse();
                assertThat(view.isLocalLeader("q", 0)).isFalse();
                assertThat(view.writesAllowed("q", 0)).isFalse();
            });

            own.restart();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(view.leaderSessionHealthy()).isTrue();
                assertThat(view.isLocalLeader("q", 0)).isTrue();
            });
            assertThat(view.epoch("q", 0)).isEqualTo(1);
        }
    }

    @Test
    void aLoadedNodeRedirectsToTheLeastLoadedNodeOnlyAboveTheThreshold() throws Exception {
        ZkCluster a = cluster.start("a");
        ZkCluster b = cluster.start("b");
        cluster.awaitMembers("a", "b");
        try (ZkCluster c = ZkCluster.start(cluster.settings("c").toBuilder().loadRedirectThreshold(10).build(),
                cluster.clock)) {
            a.membership().updateLoad(4);
            b.membership().updateLoad(2);
            c.membership().updateLoad(8);
            await().untilAsserted(() -> assertThat(c.view().nodes()).extracting(ClusterView.Node::load)
                    .containsExactly(4.0, 2.0, 8.0));
            assertThat(c.view().redirectTarget()).as("below the threshold").isEmpty();

            c.membership().updateLoad(12);

            await().untilAsserted(() -> assertThat(c.view().redirectTarget())
                    .hasValueSatisfying(n -> assertThat(n.id()).isEqualTo("b")));
            assertThat(a.view().redirectTarget()).as("no threshold configured on a").isEmpty();
        }
    }
}
