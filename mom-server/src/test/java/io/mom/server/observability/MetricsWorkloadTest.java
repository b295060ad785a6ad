package io.mom.server.observability;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.server.testing.ExternalTools;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} and {@code /v1/stats} after a known workload: publish 100, receive 100, ack 60. */
class MetricsWorkloadTest {
    @TempDir
    Path dataDir;

    @Test
    void metricsAndStatsCountAHundredPublishedSixtyAckedAndFortyLeft() {
        try (RunningServer s = RunningServer.start(dataDir)) {
            String admin = s.admin();
            assertThat(s.api.put("/v1/queues/work.items", admin, null).status()).isEqualTo(201);
            JsonArray batch = new JsonArray();
            for (int i = 0; i < 100; i++) {
                JsonObject m = new JsonObject();
                m.addProperty("payload", "job-" + i);
                batch.add(m);
            }
            JsonObject body = new JsonObject();
            body.add("messages", batch);
            assertThat(s.api.post("/v1/queues/work.items/messages", admin, body.toString()).status()).isEqualTo(201);

            List<String> receipts = new ArrayList<>();
            while (receipts.size() < 100) {
                HttpReply got = s.api.post("/v1/queues/work.items/receive", admin, json("max", 100, "waitMs", 1000));
                for (JsonElement m : got.array("messages")) {
                    receipts.add(m.getAsJsonObject().get("receipt").getAsString());
                }
            }
            HttpReply acked = s.api.post("/v1/queues/work.items/ack", admin,
                    json("receipts", receipts.subList(0, 60)));
            assertThat(acked.obj().get("acked").getAsInt()).isEqualTo(60);

            String metrics = s.api.get("/metrics", null).body();
            assertThat(metrics).contains("mom_published_total{destination=\"work.items\"} 100.0")
                    .contains("mom_delivered_total{destination=\"work.items\"} 100.0")
                    .contains("mom_acked_total{destination=\"work.items\"} 60.0")
                    .contains("mom_depth{destination=\"work.items\"} 40.0")
                    .contains("mom_in_flight{destination=\"work.items\"} 40.0")
                    .contains("mom_consumers{destination=\"work.items\"} 0.0")
                    .contains("mom_node_published_total 100.0")
                    .contains("mom_node_acked_total 60.0")
                    .contains("mom_http_request_duration_seconds_count{method=\"POST\","
                            + "route=\"/v1/queues/{name}/ack\"} 1")
                    .contains("jvm_memory_used_bytes{area=\"heap\"}");
            ExternalTools.assertValidPrometheusText(metrics);

            HttpReply stats = s.api.get("/v1/stats", admin);
            assertThat(stats.status()).isEqualTo(200);
            JsonObject queue = null;
            for (JsonElement d : stats.array("destinations")) {
                if (d.getAsJsonObject().get("name").getAsString().equals("work.items")) {
                    queue = d.getAsJsonObject();
                }
            }
            assertThat(queue).isNotNull();
            assertThat(queue.get("depth").getAsLong()).isEqualTo(40);
            assertThat(queue.get("inFlight").getAsLong()).isEqualTo(40);
            assertThat(queue.get("consumers").getAsInt()).isZero();
            JsonObject counts = queue.getAsJsonObject("counts");
            assertThat(counts.get("published").getAsLong()).isEqualTo(100);
            assertThat(counts.get("delivered").getAsLong()).isEqualTo(100);
            assertThat(counts.get("acked").getAsLong()).isEqualTo(60);
            assertThat(queue.getAsJsonObject("rates").has("publishedPerSecond")).isTrue();
            JsonObject node = stats.obj().getAsJsonObject("node");
            assertThat(node.getAsJsonObject("counts").get("published").getAsLong()).isEqualTo(100);
            assertThat(node.getAsJsonObject("counts").get("acked").getAsLong()).isEqualTo(60);
            assertThat(stats.obj().getAsJsonObject("totals").get("depth").getAsLong()).isEqualTo(40);
            JsonObject self = stats.array("nodes").get(0).getAsJsonObject();
            assertThat(self.get("alive").getAsBoolean()).isTrue();
            assertThat(self.get("role").getAsString()).isEqualTo("controller");

            assertThat(s.api.get("/v1/stats", s.api.login("admin", RunningServer.ADMIN_PASSWORD)).status())
                    .isEqualTo(200);
            s.api.post("/v1/users", admin, json("username", "bob", "password", "bob-password-1", "roles", List.of()));
            assertThat(s.api.get("/v1/stats", s.api.login("bob", "bob-password-1")).status()).isEqualTo(403);
        }
    }
}
