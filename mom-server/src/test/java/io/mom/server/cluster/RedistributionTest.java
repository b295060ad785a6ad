package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rejoin and redistribution with real copies: a node back within the grace period is caught up and
 * in sync again; after the grace period the copy of a fallen node is rebuilt on another node from
 * the leader's full state (messages, pending deliveries, owner, options), and that copy takes over
 * when the leader goes.
 */
@Tag("slow")
class RedistributionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDirs;

    @Test
    void aFollowerBackWithinTheGracePeriodCatchesUpAndIsInSyncAgain() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "rejoin-test", Map.of());
             CuratorFramework zk = client(cluster, "rejoin-test")) {
            List.of("n1", "n2", "n3").forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/jobs", admin, null).status()).isEqualTo(201);
            JsonObject placement = FailoverTest.placementOf(cluster.api("n1"), admin, "jobs");
            String leader = placement.get("leader").getAsString();
            String follower = placement.getAsJsonArray("replicas").get(0).getAsString();
            String other = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader) && !n.equals(follower))
                    .findFirst().orElseThrow();
            List<String> published = new ArrayList<>();
            InSyncTest.publish(cluster.api(other), admin, published, 0, 3);

            cluster.stop(follower);
            await().atMost(WAIT).until(() -> InSyncTest.inSync(zk, "jobs").equals(java.util.Set.of(leader)));
            InSyncTest.publish(cluster.api(other), admin, published, 3, 8);
            cluster.start(follower);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(InSyncTest.inSync(zk, "jobs")).containsExactlyInAnyOrder(leader, follower));
            assertThat(FailoverTest.placementOf(cluster.api(other), admin, "jobs").getAsJsonArray("replicas")
                    .get(0).getAsString()).isEqualTo(follower);

            cluster.stop(leader);
            await().atMost(WAIT).until(() -> FailoverTest.placementOf(cluster.api(other), admin, "jobs")
                    .get("leader").getAsString().equals(follower));
            assertThat(InSyncTest.receiveAll(cluster.api(other), admin)).containsExactlyInAnyOrderElementsOf(published);
        }
    }

    @Test
    void afterTheGracePeriodTheFallenCopyIsRebuiltWithTheFullStateAndCanTakeOver() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "redistribution-test",
                Map.of("MOM_FAILOVER_GRACE", "2s"));
             CuratorFramework zk = client(cluster, "redistribution-test")) {
            List.of("n1", "n2", "n3").forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").post("/v1/users", admin, json("username", "alice", "password", "alice-pw"))
                    .status()).isEqualTo(201);
            String alice = cluster.api("n1").login("alice", "alice-pw");
            assertThat(cluster.api("n1").put("/v1/queues/jobs", alice, json("maxDeliveries", 7, "ackTimeoutMs", 60000))
                    .status()).isEqualTo(201);
            JsonObject placement = FailoverTest.placementOf(cluster.api("n1"), admin, "jobs");
            String leader = placement.get("leader").getAsString();
            String fallen = placement.getAsJsonArray("replicas").get(0).getAsString();
            String third = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader) && !n.equals(fallen))
                    .findFirst().orElseThrow();
            List<String> published = new ArrayList<>();
            InSyncTest.publish(cluster.api(third), alice, published, 0, 10);
            HttpReply acked = cluster.api(third).post("/v1/queues/jobs/receive", alice, json("max", 3));
            List<String> receipts = new ArrayList<>();
            for (JsonElement m : acked.array("messages")) {
                published.remove(m.getAsJsonObject().get("payload").getAsString());
                receipts.add(m.getAsJsonObject().get("receipt").getAsString());
            }
            assertThat(cluster.api(third).post("/v1/queues/jobs/ack", alice,
                    "{\"receipts\":" + new com.google.gson.Gson().toJson(receipts) + "}").status()).isEqualTo(200);
            assertThat(cluster.api(third).post("/v1/queues/jobs/receive", alice, json("max", 2))
                    .array("messages")).as("in flight, never acked").hasSize(2);

            cluster.stop(fallen);
            await().atMost(WAIT).untilAsserted(() -> {
                JsonObject now = FailoverTest.placementOf(cluster.api(third), admin, "jobs");
                assertThat(now.getAsJsonArray("replicas").get(0).getAsString()).isEqualTo(third);
                assertThat(InSyncTest.inSync(zk, "jobs")).containsExactlyInAnyOrder(leader, third);
            });

            cluster.stop(leader);
            await().atMost(WAIT).until(() -> FailoverTest.placementOf(cluster.api(third), admin, "jobs")
                    .get("leader").getAsString().equals(third));
            ApiClient api = cluster.api(third);
            JsonObject described = api.get("/v1/queues/jobs", alice).obj();
            assertThat(described.get("owner").getAsString()).isEqualTo("alice");
            assertThat(described.get("depth").getAsInt()).isEqualTo(7);
            assertThat(InSyncTest.receiveAll(api, alice)).containsExactlyInAnyOrderElementsOf(published);
            assertThat(api.put("/v1/queues/jobs", alice, json("maxDeliveries", 7, "ackTimeoutMs", 60000)).status())
                    .as("same owner and options on the new leader").isEqualTo(200);
        }
    }

    private static CuratorFramework client(LocalCluster cluster, String name) {
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(cluster.zkConnect())
                .namespace("mom/" + name).retryPolicy(new RetryOneTime(100)).build();
        zk.start();
        return zk;
    }
}
