package io.mom.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server stopped with SIGTERM and started again on the same data directory (RocksDB, the default store) keeps
 * everything and redelivers nothing that was acked.
 */
@Tag("slow")
class CleanRestartTest {
    private static final int MESSAGES = 200;
    private static final int RECEIVED = 100;
    private static final int ACKED = 80;

    @TempDir
    Path dataDir;

    @Test
    void sigtermThenRestartLosesNothingAndRedeliversNothingAcked() {
        DurableSetup.Tokens tokens;
        List<String> acked = new ArrayList<>();
        List<String> inFlight = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
            ApiClient api = new ApiClient(server.awaitRestUrl());
            DurableSetup.awaitHealthy(api);
            tokens = DurableSetup.create(api);
            for (int batch = 0; batch < MESSAGES; batch += 50) {
                List<Object> messages = new ArrayList<>();
                for (int i = batch; i < batch + 50; i++) {
                    messages.add(Map.of("id", "m-" + i, "payload", "message " + i));
                }
                HttpReply published = api.post("/v1/queues/" + DurableSetup.QUEUE + "/messages", tokens.valid(),
                        json("messages", messages));
                assertThat(published.status()).as("publish: %s", published).isEqualTo(201);
            }
            List<String> receipts = new ArrayList<>();
            while (acked.size() + inFlight.size() < RECEIVED) {
                int max = RECEIVED - acked.size() - inFlight.size();
                for (JsonElement e : receive(api, tokens.valid(), max)) {
                    JsonObject m = e.getAsJsonObject();
                    if (acked.size() < ACKED) {
                        acked.add(m.get("id").getAsString());
                        receipts.add(m.get("receipt").getAsString());
                    } else {
                        inFlight.add(m.get("id").getAsString());
                    }
                }
            }
            HttpReply ack = api.post("/v1/queues/" + DurableSetup.QUEUE + "/ack", tokens.valid(),
                    json("receipts", receipts));
            assertThat(ack.obj().get("acked").getAsInt()).isEqualTo(ACKED);

            server.terminate();
            assertThat(server.output()).contains("event=shutdown_complete clean=true");
        }

        try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
            ApiClient api = new ApiClient(server.awaitRestUrl());
            DurableSetup.awaitHealthy(api);
            DurableSetup.assertSurvived(api, tokens);
            JsonObject queue = api.get("/v1/queues/" + DurableSetup.QUEUE, tokens.valid()).obj();
            assertThat(queue.get("depth").getAsInt()).isEqualTo(MESSAGES - ACKED);

            Map<String, Integer> counts = new HashMap<>();
            List<String> order = new ArrayList<>();
            while (counts.size() < MESSAGES - ACKED) {
                for (JsonElement e : receive(api, tokens.valid(), MESSAGES)) {
                    JsonObject m = e.getAsJsonObject();
                    String id = m.get("id").getAsString();
                    assertThat(counts.put(id, m.get("deliveryCount").getAsInt())).as("delivered once: %s", id).isNull();
                    order.add(id);
                }
            }
            assertThat(counts).doesNotContainKeys(acked.toArray(String[]::new));
            for (int i = 0; i < MESSAGES; i++) {
                String id = "m-" + i;
                if (inFlight.contains(id)) {
                    assertThat(counts.get(id)).as("in flight at the shutdown: %s", id).isEqualTo(2);
                } else if (!acked.contains(id)) {
                    assertThat(counts.get(id)).as("never delivered: %s", id).isEqualTo(1);
                }
            }
            // FIFO survives too: the pending messages come back in publish order.
            assertThat(order.stream().map(id -> Integer.parseInt(id.substring(2))).toList()).isSorted();
            assertThat(server.terminate()).isNotNegative();
        }
    }

    private static Iterable<JsonElement> receive(ApiClient api, String token, int max) {
        HttpReply r = api.post("/v1/queues/" + DurableSetup.QUEUE + "/receive", token,
                json("max", Math.min(max, 1000), "waitMs", 2000));
        assertThat(r.status()).as("receive: %s", r).isEqualTo(200);
        return r.array("messages");
    }
}
