package io.mom.server.cluster;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.client.MomClient;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partitioned destination in a three-node cluster: its partitions are placed on different nodes,
 * and producers and consumers on any node reach all of them.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedDestinationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    static Path dataDirs;
    private LocalCluster cluster;
    private String alice;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster(dataDirs, "partitions-test", Map.of());
        NODES.forEach(cluster::start);
        String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
        assertThat(cluster.api("n1").post("/v1/users", admin, json("username", "alice", "password", "alice-pw"))
                .status()).isEqualTo(201);
        alice = await().atMost(WAIT).until(() -> {
            try {
                return cluster.api("n2").login("alice", "alice-pw");
            } catch (AssertionError | RuntimeException e) {
                return null;
            }
        }, token -> token != null);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    /** Leader of each partition of {@code destination}, from {@code /v1/cluster}. */
    private Map<Integer, String> leaders(String destination) {
        Map<Integer, String> leaders = new TreeMap<>();
        for (JsonElement p : cluster.api("n1").get("/v1/cluster", alice).obj().getAsJsonArray("placements")) {
            JsonObject o = p.getAsJsonObject();
            if (o.get("destination").getAsString().equals(destination)) {
                leaders.put(o.get("partition").getAsInt(), o.get("leader").getAsString());
            }
        }
        return leaders;
    }

    @Test
    void aPartitionedQueueSpreadsOverAllNodesAndConsumersOnAnyNodeReceiveFromAllPartitions() {
        assertThat(cluster.api("n1").put("/v1/queues/spread", alice, json("partitions", 3)).status()).isEqualTo(201);
        for (String node : NODES) {
            assertThat(cluster.api(node).put("/v1/queues/spread", alice, json("partitions", 3)).status())
                    .as(node).isEqualTo(200);
            assertThat(cluster.api(node).put("/v1/queues/spread", alice, json("partitions", 2)).status())
                    .as(node).isEqualTo(409);
        }
        Map<Integer, String> leaders = leaders("spread");
        assertThat(leaders).containsOnlyKeys(0, 1, 2);
        assertThat(new HashSet<>(leaders.values())).containsExactlyInAnyOrderElementsOf(NODES);

        Set<String> published = new HashSet<>();
        for (String node : NODES) {
            for (int i = 0; i < 10; i++) {
                String payload = node + "-" + i;
                assertThat(cluster.api(node).post("/v1/queues/spread/messages", alice, json("payload", payload))
                        .status()).isEqualTo(201);
                published.add(payload);
            }
        }
        assertThat(cluster.api("n3").get("/v1/queues/spread", alice).obj().get("depth").getAsLong()).isEqualTo(30);

        Map<Integer, Integer> perPartition = new HashMap<>();
        List<String> received = new ArrayList<>();
        List<String> receipts = new ArrayList<>();
        String consumerNode = "n2";
        await().atMost(WAIT).until(() -> {
            HttpReply got = cluster.api(consumerNode).post("/v1/queues/spread/receive", alice,
                    json("max", 7, "waitMs", 200));
            assertThat(got.status()).isEqualTo(200);
            for (JsonElement m : got.array("messages")) {
                JsonObject o = m.getAsJsonObject();
                received.add(o.get("payload").getAsString());
                receipts.add(o.get("receipt").getAsString());
                perPartition.merge(o.get("partition").getAsInt(), 1, Integer::sum);
            }
            return received.size() >= published.size();
        });
        assertThat(received).hasSize(30).containsExactlyInAnyOrderElementsOf(published);
        assertThat(perPartition).containsOnlyKeys(0, 1, 2);
        // Each node publishes round-robin from its own turn: 4, 3 and 3 of its 10 messages per partition.
        assertThat(perPartition.values()).allSatisfy(n -> assertThat(n).isBetween(9, 12));

        HttpReply acked = cluster.api("n3").post("/v1/queues/spread/ack", alice,
                "{\"receipts\":" + new Gson().toJson(receipts) + "}");
        assertThat(acked.obj().get("acked").getAsInt()).isEqualTo(30);
        assertThat(acked.obj().getAsJsonArray("invalid")).isEmpty();
        for (String node : NODES) {
            JsonObject info = cluster.api(node).get("/v1/queues/spread", alice).obj();
            assertThat(info.get("depth").getAsLong()).as(node).isZero();
            assertThat(info.get("partitions").getAsInt()).isEqualTo(3);
        }
    }

    @Test
    void messagesWithTheSameKeyStayInOnePartitionInOrder() {
        assertThat(cluster.api("n2").put("/v1/queues/keyed", alice, json("partitions", 4)).status()).isEqualTo(201);
        for (int i = 0; i < 12; i++) {
            String node = NODES.get(i % NODES.size());
            assertThat(cluster.api(node).post("/v1/queues/keyed/messages", alice,
                    json("payload", "k-" + i, "key", "customer-42")).status()).isEqualTo(201);
        }
        List<String> inOrder = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        await().atMost(WAIT).until(() -> {
            HttpReply got = cluster.api("n1").post("/v1/queues/keyed/receive", alice,
                    json("max", 5, "waitMs", 100, "autoAck", true));
            for (JsonElement m : got.array("messages")) {
                inOrder.add(m.getAsJsonObject().get("payload").getAsString());
                partitions.add(m.getAsJsonObject().get("partition").getAsInt());
                assertThat(m.getAsJsonObject().has("receipt")).isFalse();
            }
            return inOrder.size() >= 12;
        });
        assertThat(partitions).hasSize(1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add("k-" + i);
        }
        assertThat(inOrder).containsExactlyElementsOf(expected);
        assertThat(cluster.api("n3").get("/v1/queues/keyed", alice).obj().get("depth").getAsLong()).isZero();
    }

    @Test
    void aPushStreamOnOneNodeReceivesFromEveryPartition() throws Exception {
        assertThat(cluster.api("n3").put("/v1/queues/pushed-spread", alice, json("partitions", 3)).status())
                .isEqualTo(201);
        try (var events = cluster.api("n1").stream("/v1/queues/pushed-spread/stream?prefetch=5", alice)) {
            assertThat(events.status()).isEqualTo(200);
            for (int i = 0; i < 9; i++) {
                assertThat(cluster.api(NODES.get(i % 3)).post("/v1/queues/pushed-spread/messages", alice,
                        json("payload", "p-" + i)).status()).isEqualTo(201);
            }
            Set<String> payloads = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            List<String> receipts = new ArrayList<>();
            while (payloads.size() < 9) {
                var event = events.next(WAIT);
                if (!event.name().equals("message")) {
                    continue;
                }
                payloads.add(event.json().get("payload").getAsString());
                partitions.add(event.json().get("partition").getAsInt());
                receipts.add(event.json().get("receipt").getAsString());
            }
            assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);
            HttpReply acked = cluster.api("n2").post("/v1/queues/pushed-spread/ack", alice,
                    "{\"receipts\":" + new Gson().toJson(receipts) + "}");
            assertThat(acked.obj().get("acked").getAsInt()).isEqualTo(9);
        }
        await().atMost(WAIT).until(() -> cluster.api("n2").get("/v1/queues/pushed-spread", alice).obj()
                .get("depth").getAsLong() == 0);
    }

    @Test
    void aJavaClientOverGrpcReceivesFromEveryPartitionWithItsCredit() {
        assertThat(cluster.api("n1").put("/v1/queues/grpc-spread", alice, json("partitions", 3)).status())
                .isEqualTo(201);
        Set<String> payloads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> partitions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (MomClient client = MomClient.builder().url(cluster.grpcUrl("n2")).token(alice).build()) {
            client.subscribe(Source.queue("grpc-spread"), m -> {
                payloads.add(m.text());
                partitions.add(m.receipt().orElseThrow().split("~")[0]);
                m.ack();
            }, SubscribeOptions.builder().prefetch(3).build());
            for (int i = 0; i < 12; i++) {
                assertThat(cluster.api(NODES.get(i % 3)).post("/v1/queues/grpc-spread/messages", alice,
                        json("payload", "g-" + i)).status()).isEqualTo(201);
            }
            await().atMost(WAIT).until(() -> payloads.size() == 12);
        }
        assertThat(partitions).containsExactlyInAnyOrder("0", "1", "2");
        await().atMost(WAIT).until(() -> cluster.api("n3").get("/v1/queues/grpc-spread", alice).obj()
                .get("depth").getAsLong() == 0);
    }

    @Test
    void aPartitionedTopicDeliversToEachSubscriptionFromEveryPartition() {
        ApiClient n1 = cluster.api("n1");
        assertThat(n1.put("/v1/topics/spread-news", alice, json("partitions", 2)).status()).isEqualTo(201);
        assertThat(cluster.api("n2").put("/v1/topics/spread-news/subscriptions/audit", alice, null).status())
                .isEqualTo(201);
        for (int i = 0; i < 6; i++) {
            assertThat(cluster.api(NODES.get(i % 3)).post("/v1/topics/spread-news/messages", alice,
                    json("payload", "n-" + i)).status()).isEqualTo(201);
        }
        JsonObject sub = cluster.api("n3").get("/v1/topics/spread-news/subscriptions", alice).obj();
        assertThat(sub.toString()).contains("\"audit\"");
        Set<String> got = new HashSet<>();
        await().atMost(WAIT).until(() -> {
            HttpReply r = cluster.api("n3").post("/v1/topics/spread-news/subscriptions/audit/receive", alice,
                    json("max", 10, "waitMs", 100, "autoAck", true));
            r.array("messages").forEach(m -> got.add(m.getAsJsonObject().get("payload").getAsString()));
            return got.size() == 6;
        });
    }

    @Test
    void deadLettersOfEveryPartitionAreReadFromTheOneDeadLetterQueue() {
        assertThat(cluster.api("n1").put("/v1/queues/fragile", alice, json("partitions", 3, "maxDeliveries", 1))
                .status()).isEqualTo(201);
        for (int i = 0; i < 6; i++) {
            assertThat(cluster.api("n2").post("/v1/queues/fragile/messages", alice, json("payload", "f-" + i))
                    .status()).isEqualTo(201);
        }
        List<String> receipts = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            HttpReply got = cluster.api("n3").post("/v1/queues/fragile/receive", alice, json("max", 6, "waitMs", 100));
            got.array("messages").forEach(m -> receipts.add(m.getAsJsonObject().get("receipt").getAsString()));
            return receipts.size() == 6;
        });
        HttpReply nacked = cluster.api("n1").post("/v1/queues/fragile/nack", alice,
                "{\"receipts\":" + new Gson().toJson(receipts) + ",\"requeue\":true}");
        assertThat(nacked.obj().get("nacked").getAsInt()).isEqualTo(6);

        await().atMost(WAIT).until(() -> cluster.api("n2").get("/v1/queues/fragile.dlq", alice).status() == 200
                && cluster.api("n2").get("/v1/queues/fragile.dlq", alice).obj().get("depth").getAsLong() == 6);
        Set<String> dead = new HashSet<>();
        await().atMost(WAIT).until(() -> {
            HttpReply got = cluster.api("n3").post("/v1/queues/fragile.dlq/receive", alice,
                    json("max", 10, "waitMs", 100, "autoAck", true));
            got.array("messages").forEach(m -> dead.add(m.getAsJsonObject().get("payload").getAsString()));
            return dead.size() == 6;
        });
        assertThat(cluster.api("n1").get("/v1/queues/fragile", alice).obj().get("depth").getAsLong()).isZero();
    }

    @Test
    void deletingAPartitionedQueueRemovesEveryPartitionAndShardNamesAreRefused() {
        assertThat(cluster.api("n1").put("/v1/queues/short-lived", alice, json("partitions", 3)).status())
                .isEqualTo(201);
        assertThat(leaders("short-lived")).hasSize(3);
        for (String node : NODES) {
            assertThat(cluster.api(node).get("/v1/queues/short-lived~1", alice).status()).as(node).isEqualTo(400);
            assertThat(cluster.api(node).put("/v1/queues/short-lived~1", alice, null).status()).isEqualTo(400);
        }
        assertThat(cluster.api("n2").delete("/v1/queues/short-lived", alice).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> leaders("short-lived").isEmpty());
        for (String node : NODES) {
            assertThat(cluster.api(node).get("/v1/queues/short-lived", alice).status()).as(node).isEqualTo(404);
        }
    }
}
