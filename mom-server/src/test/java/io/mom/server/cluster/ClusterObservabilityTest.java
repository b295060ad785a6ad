package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.server.testing.ExternalTools;
import io.mom.transport.rest.testing.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the dashboard and Prometheus see of a two-node cluster: both nodes alive with one controller in
 * {@code /v1/stats}, the queue's leader reporting two in-sync copies and gRPC calls between the nodes; after
 * a node stops, the survivor reports it dead and one in-sync copy.
 */
@Tag("slow")
class ClusterObservabilityTest {
    @TempDir
    Path dataDirs;

    @Test
    void statsAndMetricsShowTheNodesTheirRolesAndTheInSyncCopies() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "obs-test", Map.of())) {
            cluster.start("n1");
            cluster.start("n2");
            ApiClient n1 = cluster.api("n1");
            String admin = n1.login("admin", LocalCluster.ADMIN_PASSWORD);
            await().atMost(Duration.ofSeconds(20)).until(() -> aliveNodes(n1, admin).size() == 2);
            Map<String, String> roles = aliveNodes(n1, admin);
            assertThat(roles.values()).containsExactlyInAnyOrder("controller", "member");

            assertThat(n1.put("/v1/queues/watched", admin, null).status()).isEqualTo(201);
            JsonObject placement = null;
            for (JsonElement p : n1.get("/v1/cluster", admin).obj().getAsJsonArray("placements")) {
                if (p.getAsJsonObject().get("destination").getAsString().equals("watched")) {
                    placement = p.getAsJsonObject();
                }
            }
            assertThat(placement).isNotNull();
            String leader = placement.get("leader").getAsString();
            String follower = leader.equals("n1") ? "n2" : "n1";
            // Published through the follower: forwarded to the leader over a gRPC publish stream.
            assertThat(cluster.api(follower).post("/v1/queues/watched/messages", admin, json("payload", "x"))
                    .status()).isEqualTo(201);

            String leaderMetrics = cluster.api(leader).get("/metrics", null).body();
            assertThat(leaderMetrics).contains("mom_node_insync_replicas 2")
                    .contains("mom_published_total{destination=\"watched\"} 1.0");
            ExternalTools.assertValidPrometheusText(leaderMetrics);

            cluster.stop(follower);
            ApiClient survivor = cluster.api(leader);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    survivor.get("/metrics", null).body().contains("mom_node_insync_replicas 1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !aliveNodes(survivor, admin).containsKey(follower));
        }
    }

    /** Alive nodes of {@code /v1/stats} and their roles. */
    private static Map<String, String> aliveNodes(ApiClient api, String token) {
        Map<String, String> alive = new HashMap<>();
        for (JsonElement n : api.get("/v1/stats", token).obj().getAsJsonArray("nodes")) {
            JsonObject o = n.getAsJsonObject();
            if (o.get("alive").getAsBoolean()) {
                alive.put(o.get("id").getAsString(), o.get("role").getAsString());
            }
        }
        return alive;
    }
}
