package io.mom.server;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The durable stores are wired: destinations, messages, users and revocations survive a restart. */
class DurableStoresTest {
    @TempDir
    Path dataDir;

    @Test
    void rocksDbKeepsEverythingAcrossRestarts() {
        assertSurvivesRestart(new String[]{"--http-port=0", "--grpc-port=0", "--data-dir=" + dataDir, "--store=rocksdb"});
        assertThat(Files.isDirectory(dataDir.resolve(Stores.STORE_DIRECTORY))).isTrue();
    }

    @Test
    void mongoKeepsEverythingAcrossRestarts() {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        try {
            assertSurvivesRestart(new String[]{"--http-port=0", "--grpc-port=0", "--data-dir=" + dataDir, "--store=mongo",
                    "--mongo-uri=mongodb://127.0.0.1:" + address.getPort(), "--mongo-database=mom_test"});
        } finally {
            mongo.shutdownNow();
        }
    }

    private void assertSurvivesRestart(String[] args) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String loggedOut;
        try (MomServer server = Main.start(args, Map.of(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            ApiClient api = new ApiClient(server.restUrl());
            String admin = api.login("admin", Files.readString(dataDir.resolve("admin-password")).trim());
            assertThat(api.post("/v1/users", admin, json("username", "alice", "password", "alice-pw")).status())
                    .isEqualTo(201);
            String alice = api.login("alice", "alice-pw");
            assertThat(api.put("/v1/queues/orders", alice, null).status()).isEqualTo(201);
            assertThat(api.post("/v1/queues/orders/messages", alice, json("payload", "kept")).status()).isEqualTo(201);
            loggedOut = api.login("alice", "alice-pw");
            assertThat(api.post("/v1/auth/logout", loggedOut, null).status()).isEqualTo(204);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (MomServer server = Main.start(args, Map.of(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            ApiClient api = new ApiClient(server.restUrl());
            String alice = api.login("alice", "alice-pw");
            assertThat(api.get("/v1/auth/me", loggedOut).status()).isEqualTo(401);
            HttpReply got = api.post("/v1/queues/orders/receive", alice, json("max", 10, "autoAck", true));
            assertThat(got.array("messages")).hasSize(1);
            assertThat(got.array("messages").get(0).getAsJsonObject().get("payload").getAsString()).isEqualTo("kept");
        }
        assertThat(console.toString(StandardCharsets.UTF_8).split("Generated password", -1)).hasSize(2);
    }
}
