package io.mom.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mom.server.tls.PemFiles;
import io.mom.server.tls.SelfSigned;
import io.mom.transport.rest.RestServer;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MainTest {
    @TempDir
    Path dataDir;

    @Test
    void startsOnPort0WithAGeneratedAdminPasswordShownOnceAndServesTheApi() throws Exception {
        Logger restLog = (Logger) LoggerFactory.getLogger(RestServer.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        restLog.addAppender(lines);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (MomServer server = Main.start(new String[]{"--http-port=0", "--data-dir=" + dataDir, "--store=memory"},
                Map.of(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            int port = server.restPort();
            assertThat(port).isPositive();
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("REST listening on http://127.0.0.1:" + port);

            Matcher m = Pattern.compile("Generated password of user 'admin': (\\S+)").matcher(console.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).isTrue();
            String password = m.group(1);
            Path file = dataDir.resolve("admin-password");
            assertThat(Files.readString(file).trim()).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("jwt-secret"))))
                    .isEqualTo("rw-------");

            ApiClient api = new ApiClient(server.restUrl());
            assertThat(api.get("/healthz", null).status()).isEqualTo(200);
            String admin = api.login("admin", password);
            assertThat(api.put("/v1/queues/orders.eu", admin, null).status()).isEqualTo(201);
            assertThat(api.post("/v1/queues/orders.eu/messages", admin, json("payload", "hi")).status()).isEqualTo(201);
            HttpReply got = api.post("/v1/queues/orders.eu/receive", admin, json("max", 1, "autoAck", true));
            assertThat(got.array("messages").get(0).getAsJsonObject().get("payload").getAsString()).isEqualTo("hi");

            HttpReply metrics = api.get("/metrics", null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("mom_published_total{destination=\"orders.eu\"} 1.0")
                    .contains("mom_http_requests_total{method=\"POST\",route=\"/v1/queues/{name}/messages\",status=\"201\"}");
            HttpReply stats = api.get("/v1/stats", admin);
            assertThat(stats.obj().getAsJsonObject("node").getAsJsonObject("rates").has("publishedPerSecond")).isTrue();
        } finally {
            restLog.detachAppender(lines);
        }
        assertThat(console.toString(StandardCharsets.UTF_8).split("Generated password", -1)).hasSize(2);
    }

    @Test
    void keepsTheTokenKeyAcrossRestartsAndUsesAConfiguredAdminPassword() throws Exception {
        String[] args = {"--http-port=0", "--data-dir=" + dataDir};
        Map<String, String> env = Map.of("MOM_ADMIN_PASSWORD", "configured-pw");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String secret;
        try (MomServer server = Main.start(args, env, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            new ApiClient(server.restUrl()).login("admin", "configured-pw");
            secret = Files.readString(dataDir.resolve("jwt-secret"));
        }
        try (MomServer server = Main.start(args, env, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            assertThat(server.isReady()).isTrue();
            assertThat(Files.readString(dataDir.resolve("jwt-secret"))).isEqualTo(secret);
        }
        assertThat(console.size()).isZero();
        assertThat(Files.exists(dataDir.resolve("admin-password"))).isFalse();
    }

    @Test
    void servesHttpsWithPemFiles(@TempDir Path certDir) throws Exception {
        SelfSigned cert = SelfSigned.create(certDir, SelfSigned.KeyFormat.PKCS8);
        Map<String, String> env = Map.of("MOM_TLS_CERT", cert.cert.toString(), "MOM_TLS_KEY", cert.key.toString(),
                "MOM_ADMIN_PASSWORD", "pw", "MOM_JWT_SECRET", "k".repeat(32));
        try (MomServer server = Main.start(new String[]{"--http-port=0", "--data-dir=" + dataDir}, env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertThat(server.restUrl()).startsWith("https://127.0.0.1:");
            ApiClient api = new ApiClient(server.restUrl(), PemFiles.trustingContext(cert.cert));
            String token = api.login("admin", "pw");
            assertThat(api.get("/v1/auth/me", token).status()).isEqualTo(200);
            assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isFalse();
        }
    }

    @Test
    void gracefulShutdownEndsWaitingPullsAndStreamsPromptly() throws Exception {
        MomServer server = Main.start(new String[]{"--http-port=0", "--data-dir=" + dataDir,
                "--admin-password=pw", "--sse-heartbeat=100ms"}, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ApiClient api = new ApiClient(server.restUrl());
        String token = api.login("admin", "pw");
        api.put("/v1/queues/q", token, null);
        CompletableFuture<HttpReply> waiting = CompletableFuture.supplyAsync(
                () -> api.post("/v1/queues/q/receive", token, json("waitMs", 30000)));
        var stream = api.stream("/v1/queues/q/stream", token);
        await().until(() -> api.get("/v1/queues/q", token).obj().get("consumers").getAsInt() == 2);
        long began = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
        HttpReply r = waiting.join();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("UNAVAILABLE");
        var end = stream.next(Duration.ofSeconds(10));
        assertThat(end.name()).isEqualTo("end");
        assertThat(List.of(server.isReady())).containsExactly(false);
    }
}
