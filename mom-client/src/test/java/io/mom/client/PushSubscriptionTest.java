package io.mom.client;

import io.mom.client.testing.FakeServer;
import io.mom.client.testing.SseConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mom.client.testing.FakeServer.json;
import static io.mom.client.testing.FakeServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Push subscriptions over SSE against a scripted server: delivery, acks, reconnects and endings. */
class PushSubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STREAM = "/v1/queues/q/stream";

    private FakeServer server;
    private MomClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SubscriptionListener recorder = new SubscriptionListener() {
        @Override
        public void onConnected(Source source) {
            events.add("connected");
        }

        @Override
        public void onDisconnected(Source source, Throwable cause, Duration retryIn) {
            events.add("disconnected");
        }

        @Override
        public void onHandlerError(Message message, RuntimeException error) {
            events.add("handler-error:" + message.id());
        }

        @Override
        public void onClosed(Source source, CloseReason reason) {
            events.add("closed:" + reason);
        }
    };

    @BeforeEach
    void start() {
        server = FakeServer.start();
        server.on("POST", "/v1/auth/login", json(200, "{\"token\":\"t1\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"));
        server.on("POST", "/v1/queues/q/ack", json(200, "{\"acked\":1,\"invalid\":[]}"));
        server.on("POST", "/v1/queues/q/nack", json(200, "{\"nacked\":1,\"invalid\":[]}"));
        client = MomClient.builder().url(server.url()).credentials("alice", "pw")
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String message(String id, String receipt) {
        return "{\"id\":\"" + id + "\",\"payload\":\"p-" + id + "\",\"sender\":\"bob\",\"publishedAt\":\"2026-01-01T00:00:00Z\","
                + "\"deliveryCount\":1" + (receipt == null ? "" : ",\"receipt\":\"" + receipt + "\"") + "}";
    }

    private Message take() throws InterruptedException {
        Message m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a delivery within " + WAIT).isNotNull();
        return m;
    }

    private SubscribeOptions options() {
        return SubscribeOptions.builder().prefetch(7).listener(recorder).build();
    }

    @Test
    void deliversMessagesInOrderAndTheHandlerAcksThemByReceipt() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        Subscription sub = client.subscribe(Source.queue("q"), m -> {
            received.add(m);
            m.ack();
        }, options());
        SseConnection stream = server.nextStream(WAIT);
        assertThat(stream.request().query()).isEqualTo("prefetch=7&autoAck=false");
        assertThat(stream.request().authorization()).isEqualTo("Bearer t1");
        assertThat(sub.isConnected()).isTrue();
        stream.message(message("m1", "r1")).message(message("m2", "r2"));
        assertThat(take().text()).isEqualTo("p-m1");
        assertThat(take().id()).isEqualTo("m2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.requests("POST", "/v1/queues/q/ack"))
                .extracting(FakeServer.Request::body).containsExactly("{\"receipts\":[\"r1\"]}", "{\"receipts\":[\"r2\"]}"));
        sub.close();
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.CLOSED);
        assertThat(sub.isActive()).isFalse();
        assertThat(events).containsExactly("connected", "closed:CLOSED");
    }

    @Test
    void autoAckAsksTheServerToAckAndAckingWithoutReceiptDoesNothing() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        client.subscribe(Source.queue("q"), received::add, SubscribeOptions.builder().ackMode(AckMode.AUTO).build());
        SseConnection stream = server.nextStream(WAIT);
        assertThat(stream.request().query()).isEqualTo("prefetch=100&autoAck=true");
        stream.message(message("m1", null));
        Message m = take();
        assertThat(m.receipt()).isEmpty();
        assertThat(m.ack()).isFalse();
        assertThat(server.requests("POST", "/v1/queues/q/ack")).isEmpty();
    }

    @Test
    void aHandlerThatThrowsNacksTheMessageForRedeliveryAndTheSubscriptionGoesOn() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        client.subscribe(Source.queue("q"), m -> {
            received.add(m);
            if (m.id().equals("bad")) {
                throw new IllegalStateException("boom");
            }
            m.ack();
        }, options());
        server.nextStream(WAIT).message(message("bad", "r1")).message(message("good", "r2"));
        take();
        assertThat(take().id()).isEqualTo("good");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(server.requests("POST", "/v1/queues/q/nack")).extracting(FakeServer.Request::body)
                    .containsExactly("{\"receipts\":[\"r1\"],\"requeue\":true}");
            assertThat(server.requests("POST", "/v1/queues/q/ack")).extracting(FakeServer.Request::body)
                    .containsExactly("{\"receipts\":[\"r2\"]}");
        });
        assertThat(events).contains("handler-error:bad");
    }

    @Test
    void reconnectsAfterTheServerEndsTheStreamAndKeepsDelivering() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        Subscription sub = client.subscribe(Source.queue("q"), received::add, options());
        SseConnection first = server.nextStream(WAIT);
        first.message(message("m1", "r1"));
        assertThat(take().id()).isEqualTo("m1");
        first.end();
        SseConnection second = server.nextStream(WAIT);
        second.message(message("m2", "r2"));
        assertThat(take().id()).isEqualTo("m2");
        assertThat(sub.isActive()).isTrue();
        await().atMost(WAIT).until(sub::isConnected);
        assertThat(events).containsExactly("connected", "disconnected", "connected");
    }

    @Test
    void aSilentStreamCountsAsLostAfterTheIdleTimeoutAndIsReopened() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        try (MomClient c = MomClient.builder().url(server.url()).token("t").streamIdleTimeout(Duration.ofMillis(300))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
            c.subscribe(Source.queue("q"), received::add, options());
            SseConnection first = server.nextStream(WAIT);
            first.mute();
            SseConnection second = server.nextStream(WAIT);
            second.message(message("m5", "r5"));
            assertThat(take().id()).isEqualTo("m5");
            assertThat(events).containsExactly("connected", "disconnected", "connected");
        }
    }

    @Test
    void retriesWhileTheServerIsUnavailableThenReconnects() throws InterruptedException {
        server.on("GET", STREAM, server.sse(), problem(503, "UNAVAILABLE", "starting"), problem(503, "UNAVAILABLE", "starting"),
                server.sse());
        client.subscribe(Source.queue("q"), received::add, options());
        server.nextStream(WAIT).end();
        server.nextStream(WAIT).message(message("m3", "r3"));
        assertThat(take().id()).isEqualTo("m3");
        assertThat(server.requests("GET", STREAM)).hasSize(4);
        assertThat(events).containsExactly("connected", "disconnected", "disconnected", "disconnected", "connected");
    }

    @Test
    void logsInAgainWhenTheStreamIsRefusedWith401OnReconnect() throws InterruptedException {
        server.on("GET", STREAM, server.sse(), problem(401, "UNAUTHORIZED", "revoked"), server.sse());
        client.subscribe(Source.queue("q"), received::add, options());
        server.nextStream(WAIT).end();
        server.nextStream(WAIT).message(message("m4", "r4"));
        assertThat(take().id()).isEqualTo("m4");
        assertThat(server.requests("POST", "/v1/auth/login")).hasSize(2);
    }

    @Test
    void aDeletedEventCallsTheHandlerAndEndsTheSubscription() {
        server.on("GET", STREAM, server.sse());
        AtomicInteger deleted = new AtomicInteger();
        Subscription sub = client.subscribe(Source.queue("q"), new MessageHandler() {
            @Override
            public void onMessage(Message message) {
                received.add(message);
            }

            @Override
            public void onDeleted(Source source) {
                deleted.incrementAndGet();
            }
        }, options());
        server.nextStream(WAIT).deleted("q");
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.DELETED);
        assertThat(deleted).hasValue(1);
        assertThat(events).containsExactly("connected", "closed:DELETED");
        assertThat(server.requests("GET", STREAM)).hasSize(1);
    }

    @Test
    void aSourceGoneWhileDisconnectedCountsAsDeleted() {
        server.on("GET", STREAM, server.sse(), problem(404, "NOT_FOUND", "no queue q"));
        AtomicInteger deleted = new AtomicInteger();
        Subscription sub = client.subscribe(Source.queue("q"), new MessageHandler() {
            @Override
            public void onMessage(Message message) {
            }

            @Override
            public void onDeleted(Source source) {
                deleted.incrementAndGet();
            }
        }, options());
        server.nextStream(WAIT).end();
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.DELETED);
        assertThat(deleted).hasValue(1);
    }

    @Test
    void aPermanentRefusalOnReconnectFailsTheSubscription() {
        server.on("GET", STREAM, server.sse(), problem(403, "FORBIDDEN", "not yours"));
        Subscription sub = client.subscribe(Source.queue("q"), received::add, options());
        server.nextStream(WAIT).end();
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.FAILED);
        assertThat(sub.failure()).get().isInstanceOf(ForbiddenException.class);
    }

    @Test
    void subscribeThrowsTheServersErrorWhenTheFirstStreamIsRefused() {
        server.on("GET", STREAM, problem(404, "NOT_FOUND", "no queue q"));
        assertThatThrownBy(() -> client.subscribe(Source.queue("q"), received::add, options()))
                .isInstanceOf(NotFoundException.class).hasMessage("no queue q");
        assertThat(events).as("a subscription that never opened tells its listener nothing").isEmpty();
    }

    @Test
    void closingFromTheHandlerStopsDeliveryAndClosingTheClientEndsItsSubscriptions() throws InterruptedException {
        server.on("GET", STREAM, server.sse());
        server.on("GET", "/v1/topics/t/subscriptions/s/stream", server.sse());
        Subscription[] self = new Subscription[1];
        self[0] = client.subscribe(Source.queue("q"), m -> {
            received.add(m);
            self[0].close();
        }, options());
        Subscription other = client.subscribe(Source.subscription("t", "s"), received::add);
        SseConnection stream = server.nextStream(WAIT);
        SseConnection otherStream = server.nextStream(WAIT);
        SseConnection queueStream = stream.request().path().equals(STREAM) ? stream : otherStream;
        queueStream.message(message("m1", "r1")).message(message("m2", "r2"));
        assertThat(take().id()).isEqualTo("m1");
        assertThat(self[0].whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.CLOSED);
        assertThat(received.poll(100, TimeUnit.MILLISECONDS)).as("no delivery after close").isNull();
        await().atMost(WAIT).until(queueStream::clientGone);
        client.close();
        assertThat(other.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.CLOSED);
    }
}
