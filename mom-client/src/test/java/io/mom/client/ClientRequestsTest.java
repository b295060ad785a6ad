package io.mom.client;

import com.google.gson.JsonParser;
import io.mom.client.testing.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.mom.client.testing.FakeServer.json;
import static io.mom.client.testing.FakeServer.problem;
import static io.mom.client.testing.FakeServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the client sends for each call and how it reads the answers, against a scripted server. */
class ClientRequestsTest {
    private static final String MESSAGE = "{\"id\":\"m1\",\"payload\":\"hi\",\"headers\":{\"h\":\"v\"},\"sender\":\"alice\","
            + "\"publishedAt\":\"2026-01-01T00:00:00Z\",\"deliveryCount\":1,\"receipt\":\"r1\"}";

    private FakeServer server;
    private MomClient client;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        server.on("POST", "/v1/auth/login", json(200, "{\"token\":\"t1\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"));
        client = MomClient.builder().url(server.url()).credentials("alice", "pw").build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static void assertJson(String actual, String expected) {
        assertThat(JsonParser.parseString(actual)).isEqualTo(JsonParser.parseString(expected));
    }

    @Test
    void declareSendsTheOptionsAndTellsCreatedFromExisting() {
        server.on("PUT", "/v1/queues/orders", status(201), status(200));
        assertThat(client.declare(Destination.queue("orders"), DestinationOptions.builder().partitions(2).build())).isTrue();
        assertThat(client.declare(Destination.queue("orders"))).isFalse();
        List<FakeServer.Request> puts = server.requests("PUT", "/v1/queues/orders");
        assertJson(puts.get(0).body(), "{\"partitions\":2}");
        assertJson(puts.get(1).body(), "{}");
        assertThat(puts.get(0).authorization()).isEqualTo("Bearer t1");
        assertJson(server.requests("POST", "/v1/auth/login").get(0).body(), "{\"username\":\"alice\",\"password\":\"pw\"}");
    }

    @Test
    void listPassesPrefixLimitAndCursorAndListAllFollowsThePages() {
        server.on("GET", "/v1/topics",
                json(200, "{\"items\":[{\"name\":\"a\",\"owner\":\"o\",\"partitions\":1,\"subscriptions\":0}],\"next\":\"a\"}"),
                json(200, "{\"items\":[{\"name\":\"b\",\"owner\":\"o\",\"partitions\":1,\"subscriptions\":1}]}"));
        assertThat(client.listAll(DestinationType.TOPIC)).extracting(DestinationInfo::name).containsExactly("a", "b");
        assertThat(server.requests("GET", "/v1/topics")).extracting(FakeServer.Request::query)
                .containsExactly(null, "cursor=a");
        client.list(DestinationType.TOPIC, ListRequest.first(5).withPrefix("x.y").after("x.c"));
        assertThat(server.requests("GET", "/v1/topics").get(2).query()).isEqualTo("prefix=x.y&limit=5&cursor=x.c");
    }

    @Test
    void deleteSendsTheMessagePolicy() {
        server.on("DELETE", "/v1/queues/q", status(204));
        server.on("DELETE", "/v1/topics/t", status(204));
        client.delete(Destination.queue("q"));
        client.delete(Destination.topic("t"), DeletePolicy.transferTo("archive"));
        assertThat(server.requests("DELETE", "/v1/queues/q").get(0).query()).isEqualTo("messages=drop");
        assertThat(server.requests("DELETE", "/v1/topics/t").get(0).query()).isEqualTo("messages=transfer&to=archive");
    }

    @Test
    void publishSendsOneMessageOrABatchAndReturnsTheIds() {
        server.on("POST", "/v1/topics/news/messages", json(201, "{\"ids\":[\"id1\"]}"), json(201, "{\"ids\":[\"id2\",\"id3\"]}"));
        assertThat(client.publish(Destination.topic("news"), OutgoingMessage.builder().text("x").id("id1").build()))
                .isEqualTo("id1");
        assertThat(client.publishAll(Destination.topic("news"), List.of(OutgoingMessage.text("a"), OutgoingMessage.text("b"))))
                .containsExactly("id2", "id3");
        List<FakeServer.Request> posts = server.requests("POST", "/v1/topics/news/messages");
        assertJson(posts.get(0).body(), "{\"id\":\"id1\",\"payload\":\"x\"}");
        assertJson(posts.get(1).body(), "{\"messages\":[{\"payload\":\"a\"},{\"payload\":\"b\"}]}");
        assertThat(client.publishAll(Destination.topic("news"), List.of())).isEmpty();
        assertThat(server.requests("POST", "/v1/topics/news/messages")).hasSize(2);
    }

    @Test
    void receiveReturnsMessagesThatAckAndNackThemselvesOnce() {
        server.on("POST", "/v1/topics/news/subscriptions/s1/receive", json(200, "{\"messages\":[" + MESSAGE + "]}"));
        server.on("POST", "/v1/topics/news/subscriptions/s1/ack", json(200, "{\"acked\":1,\"invalid\":[]}"));
        List<Message> got = client.receive(Source.subscription("news", "s1"), ReceiveOptions.of(10, Duration.ofMillis(200)));
        assertJson(server.requests("POST", "/v1/topics/news/subscriptions/s1/receive").get(0).body(),
                "{\"max\":10,\"waitMs\":200,\"autoAck\":false}");
        Message m = got.get(0);
        assertThat(m.text()).isEqualTo("hi");
        assertThat(m.headers()).containsEntry("h", "v");
        assertThat(m.sender()).isEqualTo("alice");
        assertThat(m.source()).isEqualTo(Source.subscription("news", "s1"));
        assertThat(m.ack()).isTrue();
        assertThat(m.ack()).isFalse();
        assertThat(m.nack(NackMode.REQUEUE)).isFalse();
        assertThat(server.requests("POST", "/v1/topics/news/subscriptions/s1/ack")).hasSize(1);
        assertJson(server.requests("POST", "/v1/topics/news/subscriptions/s1/ack").get(0).body(), "{\"receipts\":[\"r1\"]}");
        assertThat(server.requests("POST", "/v1/topics/news/subscriptions/s1/nack")).isEmpty();
    }

    @Test
    void ackAndNackReportInvalidReceipts() {
        server.on("POST", "/v1/queues/q/ack", json(200, "{\"acked\":1,\"invalid\":[\"r2\"]}"));
        server.on("POST", "/v1/queues/q/nack", json(200, "{\"nacked\":0,\"invalid\":[\"r3\"]}"));
        assertThat(client.ack(Source.queue("q"), List.of("r1", "r2"))).isEqualTo(new AckResult(1, List.of("r2")));
        assertThat(client.nack(Source.queue("q"), List.of("r3"), NackMode.DEAD_LETTER)).isEqualTo(new AckResult(0, List.of("r3")));
        assertJson(server.requests("POST", "/v1/queues/q/nack").get(0).body(), "{\"receipts\":[\"r3\"],\"requeue\":false}");
    }

    @Test
    void usersAndSubscriptionsUseTheirPaths() {
        server.on("POST", "/v1/users", status(201));
        server.on("GET", "/v1/users", json(200, "[{\"username\":\"admin\",\"roles\":[\"user\",\"admin\"]},{\"username\":\"bob\",\"roles\":[\"user\"]}]"));
        server.on("PUT", "/v1/users/bob/password", status(204));
        server.on("DELETE", "/v1/users/bob", status(204));
        server.on("GET", "/v1/auth/me", json(200, "{\"username\":\"alice\",\"roles\":[\"user\"]}"));
        server.on("PUT", "/v1/topics/t/subscriptions/s", status(201));
        server.on("GET", "/v1/topics/t/subscriptions", json(200, "{\"items\":[{\"name\":\"s\",\"owner\":\"alice\",\"pending\":0,\"inFlight\":0,\"consumers\":0}]}"));
        server.on("DELETE", "/v1/topics/t/subscriptions/s", status(204));

        client.createUser("bob", "pw2", List.of());
        assertJson(server.requests("POST", "/v1/users").get(0).body(), "{\"username\":\"bob\",\"password\":\"pw2\",\"roles\":[]}");
        assertThat(client.listUsers()).extracting(UserInfo::username, UserInfo::isAdmin)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("admin", true), org.assertj.core.groups.Tuple.tuple("bob", false));
        client.changePassword("bob", "pw3");
        assertJson(server.requests("PUT", "/v1/users/bob/password").get(0).body(), "{\"password\":\"pw3\"}");
        client.deleteUser("bob");
        assertThat(client.me()).isEqualTo(new UserInfo("alice", List.of("user")));
        assertThat(client.declareSubscription("t", "s", SubscriptionOptions.of(null, 3))).isTrue();
        assertJson(server.requests("PUT", "/v1/topics/t/subscriptions/s").get(0).body(), "{\"maxDeliveries\":3}");
        assertThat(client.listSubscriptions("t")).extracting(SubscriptionInfo::source).containsExactly(Source.subscription("t", "s"));
        client.deleteSubscription("t", "s");
        assertThat(server.requests("DELETE", "/v1/topics/t/subscriptions/s")).hasSize(1);
    }

    @Test
    void namesArePercentEncodedSoTheyCannotChangeThePath() {
        server.on("GET", "/v1/queues/a%2Fb%20c", json(200, "{\"name\":\"a/b c\",\"owner\":\"o\"}"));
        assertThat(client.describe(Destination.queue("a/b c")).name()).isEqualTo("a/b c");
    }

    @Test
    void problemsBecomeTypedExceptionsWithCodeStatusAndDetail() {
        server.on("PUT", "/v1/queues/x.dlq", problem(400, "INVALID_NAME", "names ending in .dlq are reserved"));
        server.on("PUT", "/v1/queues/taken", problem(409, "ALREADY_EXISTS", "queue taken exists"));
        server.on("POST", "/v1/queues/full/messages", problem(429, "QUEUE_FULL", "queue full is full"));
        server.on("POST", "/v1/queues/big/messages", problem(413, "PAYLOAD_TOO_LARGE", "payload above 1 MiB"));
        server.on("DELETE", "/v1/queues/theirs", problem(403, "FORBIDDEN", "not the owner"));
        server.on("POST", "/v1/queues/gone/receive", problem(410, "GONE", "deleted"));
        server.on("POST", "/v1/queues/part/messages", FakeServer.json(503,
                "{\"code\":\"UNAVAILABLE\",\"status\":503,\"detail\":\"partition 1\",\"ids\":[\"a\"]}"));
        server.on("GET", "/v1/queues/proxy", (ex, req) -> FakeServer.json(502, "").respond(ex, req));

        assertThatThrownBy(() -> client.declare(Destination.queue("x.dlq"))).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.code()).isEqualTo("INVALID_NAME");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e).hasMessage("names ending in .dlq are reserved");
        });
        assertThatThrownBy(() -> client.declare(Destination.queue("taken"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> client.publish(Destination.queue("full"), "m")).isInstanceOf(QueueFullException.class);
        assertThatThrownBy(() -> client.publish(Destination.queue("big"), "m")).isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> client.delete(Destination.queue("theirs"))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> client.receive(Source.queue("gone"), ReceiveOptions.of(1, Duration.ZERO)))
                .isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> client.publishAll(Destination.queue("part"), List.of(OutgoingMessage.text("a"), OutgoingMessage.text("b"))))
                .isInstanceOfSatisfying(UnavailableException.class, e -> assertThat(e.committedIds()).containsExactly("a"));
        assertThatThrownBy(() -> client.describe(Destination.queue("proxy"))).isInstanceOfSatisfying(UnavailableException.class,
                e -> assertThat(e.status()).isEqualTo(502));
        assertThatThrownBy(() -> client.describe(Destination.queue("missing"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aMalformedSuccessBodyIsAnInvalidResponse() {
        server.on("GET", "/v1/queues/odd", json(200, "{\"owner\":\"no name\"}"));
        assertThatThrownBy(() -> client.describe(Destination.queue("odd")))
                .isExactlyInstanceOf(MomClientException.class)
                .extracting(e -> ((MomClientException) e).code()).isEqualTo("INVALID_RESPONSE");
    }

    @Test
    void anUnreachableServerIsUnavailableWithoutStatus() {
        String url = server.url();
        server.close();
        try (MomClient c = MomClient.builder().url(url).token("t").build()) {
            assertThatThrownBy(() -> c.describe(Destination.queue("q"))).isInstanceOfSatisfying(UnavailableException.class,
                    e -> assertThat(e.status()).isEqualTo(MomClientException.NO_STATUS));
        }
    }
}
