package io.mom.transport.rest;

import io.mom.core.Broker;
import io.mom.core.Identity;
import io.mom.core.Role;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.testing.ManualTime;
import io.mom.transport.rest.auth.JwtAuthenticator;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A broker (in memory, real time) behind a REST server on port 0, with fast password hashing and a
 * manual clock for tokens, plus a client. One per test.
 */
final class TestServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password";
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";

    final ManualTime authTime = new ManualTime(Instant.parse("2030-01-01T00:00:00Z"));
    final InMemoryUserStore userStore = new InMemoryUserStore();
    final Users users = new Users(userStore, new PasswordHasher(1_000), authTime);
    final JwtAuthenticator auth;
    final Broker broker;
    final RestServer rest;
    final ApiClient api;
    final String adminToken;

    private TestServer(Consumer<RestConfig.Builder> tweak, boolean startBroker) {
        users.bootstrapAdmin(Optional.of(ADMIN_PASSWORD));
        auth = new JwtAuthenticator(users, userStore, SECRET, Duration.ofHours(1), authTime);
        broker = Broker.builder().nodeId("test-node").build();
        RestConfig.Builder config = RestConfig.builder().port(0).heartbeat(Duration.ofMillis(200));
        tweak.accept(config);
        rest = RestServer.builder().broker(broker).authenticator(auth).users(users).nodeId("test-node")
                .config(config.build()).build().start();
        if (startBroker) {
            broker.start();
        }
        api = new ApiClient(rest.baseUrl());
        adminToken = startBroker ? api.login("admin", ADMIN_PASSWORD) : null;
    }

    static TestServer start() {
        return new TestServer(c -> { }, true);
    }

    static TestServer start(Consumer<RestConfig.Builder> tweak) {
        return new TestServer(tweak, true);
    }

    /** The REST server is up but the broker is not started yet. */
    static TestServer withoutBroker() {
        return new TestServer(c -> { }, false);
    }

    /** Creates a plain user and returns a token of theirs. */
    String user(String name) {
        users.create(Identity.admin("admin"), name, name + "-pw", Set.of(Role.USER));
        return api.login(name, name + "-pw");
    }

    HttpReply createQueue(String token, String name) {
        HttpReply r = api.put("/v1/queues/" + name, token, null);
        if (r.status() != 201) {
            throw new AssertionError("queue " + name + " not created: " + r);
        }
        return r;
    }

    HttpReply createTopic(String token, String name) {
        HttpReply r = api.put("/v1/topics/" + name, token, null);
        if (r.status() != 201) {
            throw new AssertionError("topic " + name + " not created: " + r);
        }
        return r;
    }

    HttpReply publish(String token, String path, String payload) {
        HttpReply r = api.post(path, token, ApiClient.json("payload", payload));
        if (r.status() != 201) {
            throw new AssertionError("publish to " + path + " failed: " + r);
        }
        return r;
    }

    @Override
    public void close() {
        rest.close();
        broker.close();
    }
}
