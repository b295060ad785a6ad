package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ZkMembershipTest extends SharedZooKeeperTest {
    @Test
    void nodesSeeEachOtherJoinWithTheirAddressesAndLeave() {
        ZkCluster a = cluster.start("a");
        List<String> events = new CopyOnWriteArrayList<>();
        a.membership().addListener(new MembershipListener() {
            @Override
            public void joined(Member member) {
                events.add("joined " + member.nodeId());
            }

            @Override
            public void left(String nodeId) {
                events.add("left " + nodeId);
            }
        });

        cluster.start("b");
        cluster.awaitMembers("a", "b");
        assertThat(a.membership().member("b")).hasValue(new Member("b", "127.0.0.1:801", "b:9090", 0));

        cluster.stop("b");
        cluster.awaitMembers("a");
        await().untilAsserted(() -> assertThat(events).containsExactly("joined b", "left b"));
    }

    @Test
    void loadUpdatesReachTheOtherNodes() {
        cluster.start("a", "b");

        cluster.node("a").membership().updateLoad(42.5);

        await().untilAsserted(() -> assertThat(cluster.node("b").membership().member("a"))
                .hasValueSatisfying(m -> assertThat(m.load()).isEqualTo(42.5)));
    }

    @Test
    void nodeRegistersAgainUnderANewSessionAfterItsSessionIsKilled() throws Exception {
        cluster.start("a", "b");
        ZkCluster b = cluster.node("b");
        long oldSession = CuratorOps.sessionId(b.curator());
        List<String> seenByA = new CopyOnWriteArrayList<>();
        cluster.node("a").membership().addListener(new MembershipListener() {
            @Override
            public void joined(Member member) {
                seenByA.add("joined " + member.nodeId());
            }

            @Override
            public void left(String nodeId) {
                seenByA.add("left " + nodeId);
            }
        });

        KillSession.kill(b.curator().getZookeeperClient().getZooKeeper());

        // The old registration lives until the server expires the old session; then b registers anew.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Stat stat = b.curator().checkExists().forPath(ClusterPaths.node("b"));
            assertThat(stat).isNotNull();
            assertThat(stat.getEphemeralOwner()).isNotEqualTo(oldSession)
                    .isEqualTo(CuratorOps.sessionId(b.curator()));
            assertThat(b.membership().registered()).isTrue();
        });
        await().untilAsserted(() -> assertThat(seenByA).containsExactly("left b", "joined b"));
        cluster.awaitMembers("a", "b");
    }

    @Test
    @Tag("slow")
    void aSecondNodeWithTheSameIdIsRefusedWhileTheFirstIsAlive() {
        cluster.start("a");

        assertThatThrownBy(() -> ZkCluster.start(cluster.settings("a"), cluster.clock))
                .isInstanceOf(MomException.class)
                .hasMessageContaining("node id 'a' is already registered")
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(cluster.node("a").membership().registered()).isTrue();
        cluster.awaitMembers("a");
    }

    @Test
    void membershipSurvivesAZooKeeperServerRestart() throws Exception {
        try (TestingServer own = TestNodes.newServer(); TestNodes nodes = new TestNodes(own)) {
            nodes.start("a", "b");

            own.restart();

            nodes.awaitMembers("a", "b");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(nodes.node("a").membership().registered()).isTrue();
                assertThat(nodes.node("b").membership().registered()).isTrue();
            });
            nodes.node("a").membership().updateLoad(7);
            await().untilAsserted(() -> assertThat(nodes.node("b").membership().member("a"))
                    .hasValueSatisfying(m -> assertThat(m.load()).isEqualTo(7)));
        }
    }
}
