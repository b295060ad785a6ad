package io.mom.transport.rest;

import io.mom.core.auth.Users;
import io.mom.core.testing.ManualTime;
import io.mom.transport.rest.auth.JwtAuthenticator;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rejected request answers the expected status and code, never a 5xx, and changes nothing:
 * destinations, depths, subscriptions and users are the same before and after.
 */
class BadInputTest {
    private static TestServer s;
    private static final Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeAll
    static void setUp() {
        s = TestServer.start();
        tokens.put("alice", s.user("alice"));
        tokens.put("admin", s.adminToken);
        String alice = tokens.get("alice");
        s.createQueue(alice, "orders");
        s.createQueue(alice, "other");
        s.publish(alice, "/v1/queues/orders/messages", "pending");
        s.createTopic(alice, "news");
        s.api.put("/v1/topics/news/subscriptions/s1", alice, null);
        s.publish(alice, "/v1/topics/news/messages", "pending");

        Users sameUsers = s.users;
        ManualTime past = new ManualTime(s.authTime.instant().minus(Duration.ofHours(3)));
        tokens.put("expired", new JwtAuthenticator(sameUsers, s.userStore, TestServer.SECRET, Duration.ofHours(1), past)
                .login("alice", "alice-pw").token());
        tokens.put("forged", new JwtAuthenticator(sameUsers, s.userStore, "another-secret-another-secret-xx",
                Duration.ofHours(1), s.authTime).login("alice", "alice-pw").token());
        String revoked = s.api.login("alice", "alice-pw");
        s.api.post("/v1/auth/logout", revoked, null);
        tokens.put("revoked", revoked);
        tokens.put("garbage", "not.a.token");
    }

    @AfterAll
    static void tearDown() {
        s.close();
    }

    record Case(String name, String method, String path, String token, Supplier<String> body, int status,
                String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        String q = "/v1/queues/orders";
        // malformed JSON
        c.add(bad("malformed JSON", "POST", q + "/messages", "{\"payload\":"));
        c.add(bad("trailing data", "POST", q + "/messages", "{\"payload\":\"x\"} {}"));
        c.add(bad("single quotes", "POST", q + "/messages", "{'payload':'x'}"));
        c.add(bad("comment", "POST", q + "/messages", "{\"payload\":\"x\"/* c */}"));
        c.add(bad("array body", "POST", q + "/messages", "[{\"payload\":\"x\"}]"));
        c.add(bad("empty body", "POST", q + "/messages", ""));
        c.add(bad("duplicate field", "POST", q + "/messages", "{\"payload\":\"x\",\"payload\":\"y\"}"));
        c.add(bad("deep nesting", "POST", q + "/messages",
                "{\"payload\":\"x\",\"headers\":" + "[".repeat(100) + "]".repeat(100) + "}"));
        c.add(new Case("invalid UTF-8", "POST", q + "/messages", "alice",
                () -> new String(new byte[]{'{', '"', 'p', (byte) 0xff, '"', ':', '1', '}'}, StandardCharsets.ISO_8859_1),
                400, "INVALID_REQUEST"));
        // wrong types
        c.add(bad("payload number", "POST", q + "/messages", "{\"payload\":1}"));
        c.add(bad("header not string", "POST", q + "/messages", "{\"payload\":\"x\",\"headers\":{\"a\":1}}"));
        c.add(bad("headers array", "POST", q + "/messages", "{\"payload\":\"x\",\"headers\":[]}"));
        c.add(bad("ttl string", "POST", q + "/messages", "{\"payload\":\"x\",\"ttlMs\":\"5\"}"));
        c.add(bad("ttl fraction", "POST", q + "/messages", "{\"payload\":\"x\",\"ttlMs\":1.5}"));
        c.add(bad("id number", "POST", q + "/messages", "{\"payload\":\"x\",\"id\":7}"));
        c.add(bad("messages not array", "POST", q + "/messages", "{\"messages\":{}}"));
        c.add(bad("batch item not object", "POST", q + "/messages", "{\"messages\":[\"x\"]}"));
        c.add(bad("max string", "POST", q + "/receive", "{\"max\":\"5\"}"));
        c.add(bad("autoAck string", "POST", q + "/receive", "{\"autoAck\":\"yes\"}"));
        c.add(bad("receipts string", "POST", q + "/ack", "{\"receipts\":\"r\"}"));
        c.add(bad("receipt number", "POST", q + "/ack", "{\"receipts\":[1]}"));
        c.add(bad("requeue string", "POST", q + "/nack", "{\"receipts\":[\"r\"],\"requeue\":\"no\"}"));
        c.add(bad("partitions string", "PUT", "/v1/queues/fresh", "{\"partitions\":\"2\"}"));
        c.add(bad("login password number", "POST", "/v1/auth/login", "{\"username\":\"alice\",\"password\":1}", "none"));
        c.add(new Case("roles string", "POST", "/v1/users", "admin", () -> "{\"username\":\"u1\",\"password\":\"p\",\"roles\":\"admin\"}", 400, "INVALID_REQUEST"));
        c.add(new Case("unknown role", "POST", "/v1/users", "admin", () -> "{\"username\":\"u1\",\"password\":\"p\",\"roles\":[\"root\"]}", 400, "INVALID_REQUEST"));
        // unknown fields
        c.add(bad("unknown message field", "POST", q + "/messages", "{\"payload\":\"x\",\"extra\":1}"));
        c.add(bad("unknown batch field", "POST", q + "/messages", "{\"messages\":[{\"payload\":\"x\"}],\"x\":1}"));
        c.add(bad("unknown field in batch item", "POST", q + "/messages", "{\"messages\":[{\"payload\":\"x\",\"p\":1}]}"));
        c.add(bad("unknown option", "PUT", "/v1/queues/fresh", "{\"partitions\":2,\"colour\":\"red\"}"));
        c.add(bad("unknown receive field", "POST", q + "/receive", "{\"wait\":5}"));
        c.add(bad("unknown subscription option", "PUT", "/v1/topics/news/subscriptions/s9", "{\"partitions\":1}"));
        c.add(bad("unknown login field", "POST", "/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\",\"otp\":1}", "none"));
        c.add(bad("unknown query parameter", "GET", "/v1/queues?colour=red", null));
        c.add(bad("repeated query parameter", "GET", "/v1/queues?limit=1&limit=2", null));
        // payload rules
        c.add(bad("payload and base64", "POST", q + "/messages", "{\"payload\":\"x\",\"payloadBase64\":\"eA==\"}"));
        c.add(bad("no payload", "POST", q + "/messages", "{\"id\":\"x\"}"));
        c.add(bad("invalid base64", "POST", q + "/messages", "{\"payloadBase64\":\"***\"}"));
        c.add(bad("empty batch", "POST", q + "/messages", "{\"messages\":[]}"));
        c.add(bad("empty receipts", "POST", q + "/ack", "{\"receipts\":[]}"));
        c.add(bad("missing receipts", "POST", q + "/ack", "{}"));
        // out of range
        for (String opt : List.of("{\"partitions\":0}", "{\"partitions\":65}", "{\"ackTimeoutMs\":99}",
                "{\"ackTimeoutMs\":43200001}", "{\"maxDeliveries\":0}", "{\"maxDeliveries\":1001}", "{\"ttlMs\":0}",
                "{\"maxLength\":0}", "{\"overflow\":\"bogus\"}", "{\"partitions\":1e400}", "{\"partitions\":-1}",
                "{\"maxLength\":99999999999999999999999}")) {
            c.add(bad("option " + opt, "PUT", "/v1/queues/fresh", opt));
        }
        c.add(bad("subscription ack timeout", "PUT", "/v1/topics/news/subscriptions/s9", "{\"ackTimeoutMs\":1}"));
        for (String r : List.of("{\"max\":0}", "{\"max\":1001}", "{\"waitMs\":-1}", "{\"waitMs\":30001}")) {
            c.add(bad("receive " + r, "POST", q + "/receive", r));
        }
        c.add(bad("ttl zero", "POST", q + "/messages", "{\"payload\":\"x\",\"ttlMs\":0}"));
        c.add(bad("limit zero", "GET", "/v1/queues?limit=0", null));
        c.add(bad("limit text", "GET", "/v1/queues?limit=ten", null));
        c.add(bad("limit huge", "GET", "/v1/queues?limit=99999999999999", null));
        c.add(bad("prefetch zero", "GET", q + "/stream?prefetch=0", null));
        c.add(bad("prefetch huge", "GET", q + "/stream?prefetch=10001", null));
        c.add(bad("autoAck maybe", "GET", q + "/stream?autoAck=maybe", null));
        c.add(bad("delete mode", "DELETE", q + "?messages=keep", null));
        c.add(bad("transfer without target", "DELETE", q + "?messages=transfer", null));
        c.add(bad("target with drop", "DELETE", q + "?to=other", null));
        c.add(bad("transfer to itself", "DELETE", q + "?messages=transfer&to=orders", null));
        c.add(bad("id too long", "POST", q + "/messages", json("payload", "x", "id", "i".repeat(201))));
        c.add(bad("too many headers", "POST", q + "/messages", json("payload", "x", "headers",
                IntStream.range(0, 257).boxed().collect(Collectors.toMap(i -> "h" + i, i -> "v")))));
        // sizes
        c.add(new Case("payload over 1 MiB", "POST", q + "/messages", "alice",
                () -> json("payload", "x".repeat((1 << 20) + 1)), 413, "PAYLOAD_TOO_LARGE"));
        c.add(new Case("multibyte payload over 1 MiB", "POST", q + "/messages", "alice",
                () -> json("payload", "é".repeat((1 << 19) + 1)), 413, "PAYLOAD_TOO_LARGE"));
        c.add(new Case("base64 payload over 1 MiB", "POST", q + "/messages", "alice",
                () -> json("payloadBase64", Base64.getEncoder().encodeToString(new byte[(1 << 20) + 1])), 413,
                "PAYLOAD_TOO_LARGE"));
        c.add(new Case("batch over 1000", "POST", q + "/messages", "alice",
                () -> json("messages", Collections.nCopies(1001, Map.of("payload", "x"))), 413, "PAYLOAD_TOO_LARGE"));
        c.add(new Case("body over 16 MiB", "POST", q + "/messages", "alice",
                () -> json("payload", "x".repeat(16 << 20)), 413, "PAYLOAD_TOO_LARGE"));
        c.add(new Case("oversized item in valid batch", "POST", q + "/messages", "alice",
                () -> json("messages", List.of(Map.of("payload", "ok"), Map.of("payload", "x".repeat((1 << 20) + 1)))),
                413, "PAYLOAD_TOO_LARGE"));
        // names
        c.add(new Case("name with space", "PUT", "/v1/queues/bad%20name", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("name with slash", "PUT", "/v1/queues/a%2Fb", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("name too long", "PUT", "/v1/queues/" + "n".repeat(121), "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("reserved dlq name", "PUT", "/v1/queues/orders.dlq", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("reserved dlq topic", "PUT", "/v1/topics/news.dlq", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("bad subscription name", "PUT", "/v1/topics/news/subscriptions/s%21", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("bad user name", "POST", "/v1/users", "admin", () -> json("username", "a b", "password", "p"), 400, "INVALID_NAME"));
        c.add(new Case("bad path user", "DELETE", "/v1/users/a%20b", "admin", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("bad transfer target", "DELETE", q + "?messages=transfer&to=a%20b", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("percent-encoded invalid UTF-8", "GET", "/v1/queues/%e9", "alice", () -> null, 400, "INVALID_REQUEST"));
        // unknown things
        c.add(new Case("publish unknown queue", "POST", "/v1/queues/nope/messages", "alice", () -> json("payload", "x"), 404, "NOT_FOUND"));
        c.add(new Case("receive unknown queue", "POST", "/v1/queues/nope/receive", "alice", () -> "{}", 404, "NOT_FOUND"));
        c.add(new Case("ack unknown queue", "POST", "/v1/queues/nope/ack", "alice", () -> json("receipts", List.of("r")), 404, "NOT_FOUND"));
        c.add(new Case("queue used as topic", "POST", "/v1/topics/orders/messages", "alice", () -> json("payload", "x"), 404, "NOT_FOUND"));
        c.add(new Case("unknown subscription", "POST", "/v1/topics/news/subscriptions/nope/receive", "alice", () -> "{}", 404, "NOT_FOUND"));
        c.add(new Case("transfer to unknown", "DELETE", q + "?messages=transfer&to=nope", "alice", () -> null, 404, "NOT_FOUND"));
        c.add(new Case("unknown path", "GET", "/v1/nothing", "alice", () -> null, 404, "NOT_FOUND"));
        c.add(new Case("empty name", "GET", "/v1/queues/", "alice", () -> null, 400, "INVALID_NAME"));
        c.add(new Case("wrong method", "PATCH", q, "alice", () -> "{}", 405, "METHOD_NOT_ALLOWED"));
        // tokens
        for (String t : List.of("none", "garbage", "forged", "expired", "revoked")) {
            c.add(new Case("token " + t, "POST", q + "/messages", t, () -> json("payload", "x"), 401, "UNAUTHORIZED"));
            c.add(new Case("token " + t + " on stream", "GET", q + "/stream", t, () -> null, 401, "UNAUTHORIZED"));
        }
        c.add(new Case("token missing on delete", "DELETE", q, "none", () -> null, 401, "UNAUTHORIZED"));
        c.add(new Case("user on admin route", "GET", "/v1/stats", "alice", () -> null, 403, "FORBIDDEN"));
        c.add(new Case("user creates user", "POST", "/v1/users", "alice", () -> json("username", "u2", "password", "p"), 403, "FORBIDDEN"));
        return c.stream().map(Arguments::of);
    }

    private static Case bad(String name, String method, String path, String body) {
        return bad(name, method, path, body, "alice");
    }

    private static Case bad(String name, String method, String path, String body, String token) {
        return new Case(name, method, path, token, () -> body, 400, "INVALID_REQUEST");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedWithoutChangingAnything(Case c) {
        String before = snapshot();
        String token = "none".equals(c.token()) ? null : tokens.getOrDefault(c.token(), c.token());
        String body = c.body().get();
        HttpReply r = body == null ? s.api.send(c.method(), c.path(), token, null)
                : s.api.sendBytes(c.method(), c.path(), token, body.getBytes("invalid UTF-8".equals(c.name())
                ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        assertThat(r.status()).as(c.name() + ": " + abbreviated(r)).isEqualTo(c.status());
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.code()).as(abbreviated(r)).isEqualTo(c.code());
        assertThat(r.obj().get("status").getAsInt()).isEqualTo(c.status());
        assertThat(r.obj().get("detail").getAsString()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(snapshot()).isEqualTo(before);
    }

    private static String abbreviated(HttpReply r) {
        String text = r.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Everything a rejected request could have changed, as seen by the admin. */
    private static String snapshot() {
        String admin = tokens.get("admin");
        return s.api.get("/v1/queues", admin).body() + s.api.get("/v1/topics", admin).body()
                + s.api.get("/v1/topics/news/subscriptions", admin).body() + s.api.get("/v1/users", admin).body()
                + s.userStore.revokedTokens().size();
    }
}
