package io.mom.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code MOM_STORE=mongo} end to end against an in-process MongoDB (mongo-java-server): the server keeps its
 * users, destinations, subscriptions and messages in the node's own database ({@code mom_<nodeId>}), and a restart
 * of the MOM server loses nothing and redelivers nothing acked.
 */
class MongoStoreServerTest {
    private static final int MESSAGES = 20;

    @TempDir
    Path dataDir;
    private MongoServer mongo;
    private String uri;

    @BeforeEach
    void startMongo() {
        mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    @AfterEach
    void stopMongo() {
        mongo.shutdownNow();
    }

    @Test
    void publishReceiveAckThenRestartKeepsEverythingInTheNodesDatabase() {
        String[] args = DurableSetup.args(dataDir, "--store=mongo", "--mongo-uri=" + uri, "--node-id=node-1")
                .toArray(String[]::new);
        DurableSetup.Tokens tokens;
        List<String> acked = new ArrayList<>();
        List<String> inFlight = new ArrayList<>();
        try (MomServer server = Main.start(args, Map.of(), quiet())) {
            ApiClient api = new ApiClient(server.restUrl());
            tokens = DurableSetup.create(api);
            for (int i = 0; i < MESSAGES; i++) {
                HttpReply r = api.post(queue("/messages"), tokens.valid(), json("id", "m-" + i, "payload", "p" + i));
                assertThat(r.status()).as("publish: %s", r).isEqualTo(201);
            }
            List<String> receipts = new ArrayList<>();
            for (JsonElement e : api.post(queue("/receive"), tokens.valid(), json("max", 10, "waitMs", 2000))
                    .array("messages")) {
                JsonObject m = e.getAsJsonObject();
                if (receipts.size() < 6) {
                    receipts.add(m.get("receipt").getAsString());
                    acked.add(m.get("id").getAsString());
                } else {
                    inFlight.add(m.get("id").getAsString());
                }
            }
            assertThat(acked.size() + inFlight.size()).isEqualTo(10);
            HttpReply ack = api.post(queue("/ack"), tokens.valid(), json("receipts", receipts));
            assertThat(ack.obj().get("acked").getAsInt()).isEqualTo(6);
        }
        try (MongoClient client = MongoClients.create(uri)) {
            assertThat(client.listDatabaseNames()).contains("mom_node-1");
        }
        assertThat(Files.exists(dataDir.resolve(Stores.STORE_DIRECTORY))).as("no RocksDB directory").isFalse();

        try (MomServer server = Main.start(args, Map.of(), quiet())) {
            ApiClient api = new ApiClient(server.restUrl());
            assertThat(api.get("/healthz", null).status()).isEqualTo(200);
            DurableSetup.assertSurvived(api, tokens);
            Map<String, Integer> counts = new HashMap<>();
            while (counts.size() < MESSAGES - acked.size()) {
                HttpReply r = api.post(queue("/receive"), tokens.valid(), json("max", 100, "waitMs", 2000));
                assertThat(r.array("messages")).as("receive after the restart").isNotEmpty();
                for (JsonElement e : r.array("messages")) {
                    JsonObject m = e.getAsJsonObject();
                    assertThat(counts.put(m.get("id").getAsString(), m.get("deliveryCount").getAsInt())).isNull();
                }
            }
            assertThat(counts).doesNotContainKeys(acked.toArray(String[]::new));
            inFlight.forEach(id -> assertThat(counts.get(id)).as("in flight at the restart: %s", id).isEqualTo(2));
        }
    }

    private static String queue(String suffix) {
        return "/v1/queues/" + DurableSetup.QUEUE + suffix;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
