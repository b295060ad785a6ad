package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * Three in-process nodes on one ZooKeeper: every node answers the same, whichever node the
 * destination lives on; tokens, users and logouts are cluster-wide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterNodesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    static Path dataDirs;
    private LocalCluster cluster;
    private String admin;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster(dataDirs, "nodes-test", Map.of());
        NODES.forEach(cluster::start);
        admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
        if (cluster.api("n1").get("/v1/users", admin).body().contains("\"alice\"")) {
            return;
        }
        assertThat(cluster.api("n1").post("/v1/users", admin, json("username", "alice", "password", "alice-pw"))
                .status()).isEqualTo(201);
        assertThat(cluster.api("n1").post("/v1/users", admin, json("username", "bob", "password", "bob-pw"))
                .status()).isEqualTo(201);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    private String login(String node, String user) {
        return await().atMost(WAIT).until(() -> {
            try {
                return cluster.api(node).login(user, user + "-pw");
            } catch (AssertionError | RuntimeException e) {
                return null;
            }
        }, token -> token != null);
    }

    @Test
    void everyNodeIsHealthyAndTheClusterViewListsAllNodesAndTheController() {
        for (String node : NODES) {
            assertThat(cluster.api(node).get("/healthz", null).status()).isEqualTo(200);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonObject view = cluster.api("n2").get("/v1/cluster", admin).obj();
            List<String> ids = new ArrayList<>();
            for (JsonElement n : view.getAsJsonArray("nodes")) {
                ids.add(n.getAsJsonObject().get("id").getAsString());
                assertThat(n.getAsJsonObject().get("alive").getAsBoolean()).isTrue();
                assertThat(n.getAsJsonObject().get("grpcAddress").getAsString()).startsWith("127.0.0.1:");
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(NODES);
            assertThat(NODES).contains(view.get("controller").getAsString());
        });
    }

    @Test
    void aTokenFromOneNodeWorksOnAllAndALogoutOnOneNodeRevokesItEverywhere() {
        String token = login("n1", "alice");
        for (String node : NODES) {
            assertThat(cluster.api(node).get("/v1/auth/me", token).status()).isEqualTo(200);
        }
        assertThat(cluster.api("n2").post("/v1/auth/logout", token, null).status()).isEqualTo(204);
        for (String node : NODES) {
            await().atMost(WAIT).until(() -> cluster.api(node).get("/v1/auth/me", token).status() == 401);
        }
    }

    @Test
    void usersCreatedChangedAndDeletedOnOneNodeApplyOnAll() {
        ApiClient n1 = cluster.api("n1");
        assertThat(n1.post("/v1/users", admin, json("username", "carol", "password", "carol-pw")).status())
                .isEqualTo(201);
        String carol = login("n3", "carol");
        assertThat(cluster.api("n3").put("/v1/users/carol/password", carol, json("password", "carol-new")).status())
                .isEqualTo(204);
        await().atMost(WAIT).until(() -> cluster.api("n2").get("/v1/auth/me", carol).status() == 401);
        assertThat(cluster.api("n2").post("/v1/auth/login", null,
                json("username", "carol", "password", "carol-pw")).status()).isEqualTo(401);
        assertThat(cluster.api("n2").delete("/v1/users/carol", admin).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> cluster.api("n1").post("/v1/auth/login", null,
                json("username", "carol", "password", "carol-new")).status() == 401);
    }

    @Test
    void aQueueCreatedOnOneNodeIsUsedFromTheOthersWithTheSameAnswers() {
        String alice = login("n1", "alice");
        assertThat(cluster.api("n1").put("/v1/queues/orders", alice, null).status()).isEqualTo(201);
        for (String node : NODES) {
            ApiClient api = cluster.api(node);
            assertThat(api.put("/v1/queues/orders", alice, null).status()).as(node).isEqualTo(200);
            assertThat(api.get("/v1/queues/orders", alice).str("owner")).isEqualTo("alice");
            assertThat(api.get("/v1/queues", alice).body()).contains("\"orders\"");
            assertThat(api.post("/v1/queues/orders/messages", alice, json("payload", "from-" + node)).status())
                    .isEqualTo(201);
        }
        List<String> payloads = new ArrayList<>();
        List<String> receipts = new ArrayList<>();
        HttpReply got = cluster.api("n3").post("/v1/queues/orders/receive", alice, json("max", 10, "waitMs", 1000));
        assertThat(got.status()).isEqualTo(200);
        for (JsonElement m : got.array("messages")) {
            payloads.add(m.getAsJsonObject().get("payload").getAsString());
            receipts.add(m.getAsJsonObject().get("receipt").getAsString());
        }
        assertThat(payloads).containsExactly("from-n1", "from-n2", "from-n3");
        HttpReply acked = cluster.api("n2").post("/v1/queues/orders/ack", alice,
                "{\"receipts\":" + new com.google.gson.Gson().toJson(receipts) + "}");
        assertThat(acked.obj().get("acked").getAsInt()).isEqualTo(3);
        for (String node : NODES) {
            assertThat(cluster.api(node).get("/v1/queues/orders", alice).obj().get("depth").getAsLong()).isZero();
        }
    }

    @Test
    void errorsHaveTheSameStatusOnEveryNode() {
        String alice = login("n1", "alice");
        String bob = login("n2", "bob");
        assertThat(cluster.api("n2").put("/v1/queues/owned", alice, null).status()).isEqualTo(201);
        for (String node : NODES) {
            ApiClient api = cluster.api(node);
            assertThat(api.get("/v1/queues/missing", alice).status()).as(node).isEqualTo(404);
            assertThat(api.post("/v1/queues/missing/messages", alice, json("payload", "x")).status()).isEqualTo(404);
            assertThat(api.put("/v1/queues/owned", bob, null).status()).as(node).isEqualTo(409);
            assertThat(api.delete("/v1/queues/owned", bob).status()).as(node).isEqualTo(403);
            assertThat(api.put("/v1/queues/x.dlq", alice, null).status()).as(node).isEqualTo(400);
        }
    }

    @Test
    void aDestinationIsPlacedWithALeaderAndAReplicaAtEpochOne() {
        String alice = login("n1", "alice");
        assertThat(cluster.api("n3").put("/v1/topics/news", alice, null).status()).isEqualTo(201);
        JsonObject placement = null;
        for (JsonElement p : cluster.api("n1").get("/v1/cluster", alice).obj().getAsJsonArray("placements")) {
            if (p.getAsJsonObject().get("destination").getAsString().equals("news")) {
                placement = p.getAsJsonObject();
            }
        }
        assertThat(placement).isNotNull();
        assertThat(placement.get("partition").getAsInt()).isZero();
        assertThat(placement.get("epoch").getAsLong()).isEqualTo(1);
        assertThat(NODES).contains(placement.get("leader").getAsString());
        assertThat(placement.getAsJsonArray("replicas")).hasSize(1);
    }

    @Test
    void aPushStreamOpenedOnAnyNodeReceivesFromTheLeader() throws Exception {
        String alice = login("n1", "alice");
        assertThat(cluster.api("n1").put("/v1/queues/pushed", alice, null).status()).isEqualTo(201);
        String leader = FailoverTest.placementOf(cluster.api("n1"), alice, "pushed").get("leader").getAsString();
        String elsewhere = NODES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        try (var events = cluster.api(elsewhere).stream("/v1/queues/pushed/stream?autoAck=true", alice)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(cluster.api(leader).post("/v1/queues/pushed/messages", alice, json("payload", "pushed-1"))
                    .status()).isEqualTo(201);
            var event = events.next(WAIT);
            assertThat(event.name()).isEqualTo("message");
            assertThat(event.json().get("payload").getAsString()).isEqualTo("pushed-1");
        }
    }
}
