package io.mom.client;

import io.mom.client.testing.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.mom.client.testing.FakeServer.json;
import static io.mom.client.testing.FakeServer.problem;
import static io.mom.client.testing.FakeServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login on demand, re-login after a rejected token, logout, and closed clients. */
class SessionTest {
    private static final String ME = "{\"username\":\"alice\",\"roles\":[\"user\"]}";

    private FakeServer server;

    @BeforeEach
    void start() {
        server = FakeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static FakeServer.Responder token(String t) {
        return json(200, "{\"token\":\"" + t + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
    }

    @Test
    void logsInOnceOnTheFirstCallAndSharesTheLoginBetweenConcurrentCalls() {
        CountDownLatch callsIssued = new CountDownLatch(1);
        server.on("POST", "/v1/auth/login", (ex, req) -> {
            // answer only once every call is waiting on this login
            try {
                callsIssued.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            token("t1").respond(ex, req);
        });
        server.on("POST", "/v1/queues/q/messages", json(201, "{\"ids\":[\"x\"]}"));
        try (MomClient client = MomClient.builder().url(server.url()).credentials("alice", "pw").build()) {
            List<CompletableFuture<String>> calls = IntStream.range(0, 8)
                    .mapToObj(i -> client.publishAsync(Destination.queue("q"), OutgoingMessage.text("m" + i))).toList();
            callsIssued.countDown();
            calls.forEach(CompletableFuture::join);
            assertThat(server.requests("POST", "/v1/auth/login")).hasSize(1);
            assertThat(server.requests("POST", "/v1/queues/q/messages")).hasSize(8)
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer t1"));
        }
    }

    @Test
    void logsInAgainOnceWhenTheTokenIsRejectedAndRepeatsTheCall() {
        server.on("POST", "/v1/auth/login", token("t1"), token("t2"));
        server.on("GET", "/v1/auth/me", json(200, ME), problem(401, "UNAUTHORIZED", "token revoked"), json(200, ME));
        try (MomClient client = MomClient.builder().url(server.url()).credentials("alice", "pw").build()) {
            client.me();
            assertThat(client.me().username()).isEqualTo("alice");
            assertThat(server.requests("POST", "/v1/auth/login")).hasSize(2);
            assertThat(server.requests("GET", "/v1/auth/me")).extracting(FakeServer.Request::authorization)
                    .containsExactly("Bearer t1", "Bearer t1", "Bearer t2");
        }
    }

    @Test
    void aSecondRejectionAfterReloginFailsTheCall() {
        server.on("POST", "/v1/auth/login", token("t1"), token("t2"));
        server.on("GET", "/v1/auth/me", problem(401, "UNAUTHORIZED", "no"));
        try (MomClient client = MomClient.builder().url(server.url()).credentials("alice", "pw").build()) {
            assertThatThrownBy(client::me).isInstanceOf(UnauthorizedException.class);
            assertThat(server.requests("GET", "/v1/auth/me")).hasSize(2);
            assertThat(server.requests("POST", "/v1/auth/login")).hasSize(2);
        }
    }

    @Test
    void badCredentialsFailWithUnauthorizedAndAreNotRetried() {
        server.on("POST", "/v1/auth/login", problem(401, "UNAUTHORIZED", "bad credentials"));
        try (MomClient client = MomClient.builder().url(server.url()).credentials("alice", "wrong").build()) {
            assertThatThrownBy(client::me).isInstanceOf(UnauthorizedException.class).hasMessage("bad credentials");
            assertThatThrownBy(client::login).isInstanceOf(UnauthorizedException.class);
            assertThat(server.requests("GET", "/v1/auth/me")).isEmpty();
        }
    }

    @Test
    void aTokenOnlyClientNeverLogsInAndFailsWhenTheTokenIsRejected() {
        server.on("GET", "/v1/auth/me", json(200, ME), problem(401, "UNAUTHORIZED", "expired"));
        try (MomClient client = MomClient.builder().url(server.url()).token("given").build()) {
            assertThat(client.me().username()).isEqualTo("alice");
            assertThatThrownBy(client::me).isInstanceOf(UnauthorizedException.class);
            assertThat(server.requests("POST", "/v1/auth/login")).isEmpty();
            assertThat(server.requests("GET", "/v1/auth/me")).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer given"));
        }
    }

    @Test
    void withoutCredentialsOrTokenCallsFailUnauthorizedWithoutContactingTheServer() {
        try (MomClient client = MomClient.builder().url(server.url()).build()) {
            assertThatThrownBy(client::me).isInstanceOf(UnauthorizedException.class);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void logoutRevokesTheTokenAndTheNextCallLogsInAgain() {
        server.on("POST", "/v1/auth/login", token("t1"), token("t2"));
        server.on("POST", "/v1/auth/logout", status(204));
        server.on("GET", "/v1/auth/me", json(200, ME));
        try (MomClient client = MomClient.builder().url(server.url()).credentials("alice", "pw").build()) {
            Session s = client.login();
            assertThat(s.token()).isEqualTo("t1");
            assertThat(s.toString()).doesNotContain("t1");
            client.logout();
            assertThat(server.requests("POST", "/v1/auth/logout")).singleElement()
                    .extracting(FakeServer.Request::authorization).isEqualTo("Bearer t1");
            client.logout();
            assertThat(server.requests("POST", "/v1/auth/logout")).hasSize(1);
            client.me();
            assertThat(server.requests("GET", "/v1/auth/me").get(0).authorization()).isEqualTo("Bearer t2");
        }
    }

    @Test
    void aClosedClientRefusesCalls() {
        MomClient client = MomClient.builder().url(server.url()).token("t").build();
        client.close();
        client.close();
        assertThatThrownBy(client::me).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.publish(Destination.queue("q"), "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theBuilderValidatesTheUrlAndTimeouts() {
        assertThatThrownBy(() -> MomClient.builder().build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MomClient.builder().url("ftp://h:1").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> MomClient.builder().url("grpc://h:9090").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gRPC");
        assertThatThrownBy(() -> MomClient.builder().url("http://h:1").requestTimeout(java.time.Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MomClient.builder().url("http://h:1").credentials("u", "secret").options().toString())
                .doesNotContain("secret");
    }
}
