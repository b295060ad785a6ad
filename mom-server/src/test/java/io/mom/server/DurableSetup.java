package io.mom.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;

import java.util.List;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state the durability tests create before a restart and check after it: user {@code alice} (created by the
 * admin), her queue {@link #QUEUE} and topic {@link #TOPIC} with subscription {@link #SUBSCRIPTION} holding
 * {@link #TOPIC_MESSAGES} messages, and one of her tokens revoked by a logout.
 */
final class DurableSetup {
    static final String ADMIN_PASSWORD = "admin-secret-1";
    static final String JWT_SECRET = "durability-tests-signing-key-0123456789";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-secret-1";
    static final String QUEUE = "orders";
    static final String TOPIC = "events";
    static final String SUBSCRIPTION = "audit";
    static final int TOPIC_MESSAGES = 3;
    /** The longest lease allowed: no delivery expires during a test, so only restarts redeliver. */
    static final long ACK_TIMEOUT_MS = 43_200_000L;

    /** Tokens of alice: one still valid, one revoked by a logout. */
    record Tokens(String valid, String revoked) {
    }

    private DurableSetup() {
    }

    /** Server arguments for a durable node on port 0 in {@code dataDir}. */
    static List<String> args(java.nio.file.Path dataDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--http-port=0", "--grpc-port=0", "--data-dir=" + dataDir,
                "--admin-password=" + ADMIN_PASSWORD, "--jwt-secret=" + JWT_SECRET));
        args.addAll(List.of(more));
        return args;
    }

    static Tokens create(ApiClient api) {
        String admin = api.login("admin", ADMIN_PASSWORD);
        HttpReply created = api.post("/v1/users", admin, json("username", ALICE, "password", ALICE_PASSWORD,
                "roles", List.of("user")));
        assertThat(created.status()).as("create alice: %s", created).isEqualTo(201);
        String alice = api.login(ALICE, ALICE_PASSWORD);
        assertThat(api.put("/v1/queues/" + QUEUE, alice, json("ackTimeoutMs", ACK_TIMEOUT_MS)).status()).isEqualTo(201);
        assertThat(api.put("/v1/topics/" + TOPIC, alice, null).status()).isEqualTo(201);
        assertThat(api.put("/v1/topics/" + TOPIC + "/subscriptions/" + SUBSCRIPTION, alice,
                json("ackTimeoutMs", ACK_TIMEOUT_MS)).status()).isEqualTo(201);
        for (int i = 0; i < TOPIC_MESSAGES; i++) {
            assertThat(api.post("/v1/topics/" + TOPIC + "/messages", alice, json("payload", "event " + i)).status())
                    .isEqualTo(201);
        }
        String revoked = api.login(ALICE, ALICE_PASSWORD);
        assertThat(api.post("/v1/auth/logout", revoked, null).status()).isEqualTo(204);
        return new Tokens(alice, revoked);
    }

    /** Checks that users, revoked tokens, destinations, owners and the subscription survived. */
    static void assertSurvived(ApiClient api, Tokens tokens) {
        assertThat(api.get("/v1/auth/me", tokens.valid()).status()).as("alice's token still works").isEqualTo(200);
        assertThat(api.get("/v1/auth/me", tokens.revoked()).status()).as("the revoked token stays revoked")
                .isEqualTo(401);
        api.login(ALICE, ALICE_PASSWORD);
        String admin = api.login("admin", ADMIN_PASSWORD);
        assertThat(api.get("/v1/users", admin).body()).contains("\"" + ALICE + "\"");

        JsonObject queue = api.get("/v1/queues/" + QUEUE, tokens.valid()).obj();
        assertThat(queue.get("owner").getAsString()).isEqualTo(ALICE);
        JsonObject topic = api.get("/v1/topics/" + TOPIC, tokens.valid()).obj();
        assertThat(topic.get("owner").getAsString()).isEqualTo(ALICE);
        JsonArray subs = api.get("/v1/topics/" + TOPIC + "/subscriptions", tokens.valid()).array("items");
        assertThat(subs).hasSize(1);
        JsonObject sub = subs.get(0).getAsJsonObject();
        assertThat(sub.get("name").getAsString()).isEqualTo(SUBSCRIPTION);
        assertThat(sub.get("owner").getAsString()).isEqualTo(ALICE);
        assertThat(sub.get("pending").getAsInt()).as("topic messages kept for the subscription")
                .isEqualTo(TOPIC_MESSAGES);
    }

    /** Waits until the node answers {@code /healthz} with 200: recovery done, listeners up. */
    static void awaitHealthy(ApiClient api) {
        org.awaitility.Awaitility.await("healthz").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> api.get("/healthz", null).status() == 200);
    }
}
