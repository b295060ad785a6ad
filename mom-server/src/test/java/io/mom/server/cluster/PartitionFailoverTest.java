package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The partitions of a destination fail over one by one, and a batch is committed per partition. */
@Tag("slow")
class PartitionFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    Path dataDirs;

    private static Map<Integer, JsonObject> placements(ApiClient api, String token, String destination) {
        Map<Integer, JsonObject> placements = new TreeMap<>();
        for (JsonElement p : api.get("/v1/cluster", token).obj().getAsJsonArray("placements")) {
            JsonObject o = p.getAsJsonObject();
            if (o.get("destination").getAsString().equals(destination)) {
                placements.put(o.get("partition").getAsInt(), o);
            }
        }
        return placements;
    }

    private static List<String> drain(ApiClient api, String token, String queue, int expected) {
        List<String> received = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            HttpReply got = api.post("/v1/queues/" + queue + "/receive", token,
                    json("max", 50, "waitMs", 200, "autoAck", true));
            if (got.status() == 200) {
                got.array("messages").forEach(m -> received.add(m.getAsJsonObject().get("payload").getAsString()));
            }
            return received.size() >= expected;
        });
        return received;
    }

    @Test
    void whenOnePartitionLeaderStopsItsReplicaTakesOverAndNoAcknowledgedMessageIsLost() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "partition-failover", Map.of())) {
            NODES.forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/work", admin, json("partitions", 3)).status()).isEqualTo(201);
            JsonObject first = placements(cluster.api("n1"), admin, "work").get(1);
            String victim = first.get("leader").getAsString();
            String replica = first.getAsJsonArray("replicas").get(0).getAsString();
            String survivor = NODES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();

            Set<String> published = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                String payload = "before-" + i;
                assertThat(cluster.api(survivor).post("/v1/queues/work/messages", admin, json("payload", payload))
                        .status()).isEqualTo(201);
                published.add(payload);
            }
            cluster.stop(victim);

            ApiClient api = cluster.api(survivor);
            await().atMost(WAIT).until(() -> replica.equals(
                    placements(api, admin, "work").get(1).get("leader").getAsString()));
            await().atMost(WAIT).until(() -> api.post("/v1/queues/work/messages", admin,
                    json("payload", "after", "key", "k")).status() == 201);
            published.add("after");
            for (JsonObject p : placements(api, admin, "work").values()) {
                assertThat(p.get("leader").getAsString()).isNotEqualTo(victim);
            }

            List<String> received = drain(api, admin, "work", published.size());
            assertThat(received).containsExactlyInAnyOrderElementsOf(published);
        }
    }

    @Test
    void aBatchOverAnUnavailablePartitionNamesTheCommittedIdsAndARetryStoresEachMessageOnce() throws Exception {
        Map<String, String> oneCopy = Map.of("MOM_REPLICATION_FACTOR", "1", "MOM_STORE", "rocksdb");
        try (LocalCluster cluster = new LocalCluster(dataDirs, "partial-batch", oneCopy)) {
            NODES.forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/batches", admin, json("partitions", 3)).status())
                    .isEqualTo(201);
            Map<Integer, JsonObject> placements = placements(cluster.api("n1"), admin, "batches");
            String down = placements.get(2).get("leader").getAsString();
            String up = NODES.stream().filter(n -> !n.equals(down)).findFirst().orElseThrow();
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 12; i++) {
                batch.append(i == 0 ? "" : ",").append(json("id", "m-" + i, "payload", "p-" + i));
            }
            String body = batch.append("]}").toString();
            cluster.stop(down);

            HttpReply partial = cluster.api(up).post("/v1/queues/batches/messages", admin, body);
            assertThat(partial.status()).isEqualTo(503);
            assertThat(partial.obj().get("code").getAsString()).isEqualTo("UNAVAILABLE");
            List<String> committed = new ArrayList<>();
            partial.obj().getAsJsonArray("committed").forEach(id -> committed.add(id.getAsString()));
            assertThat(committed).isNotEmpty().hasSizeLessThan(12).allSatisfy(id -> assertThat(id).startsWith("m-"));

            cluster.start(down);
            await().atMost(WAIT).until(() -> cluster.api(up).post("/v1/queues/batches/messages", admin, body)
                    .status() == 201);
            List<String> received = drain(cluster.api(up), admin, "batches", 12);
            assertThat(received).hasSize(12).doesNotHaveDuplicates();
            assertThat(cluster.api(up).get("/v1/queues/batches", admin).obj().get("depth").getAsLong()).isZero();
        }
    }
}
