package io.mom.examples;

import io.mom.client.AckMode;
import io.mom.client.CloseReason;
import io.mom.client.Destination;
import io.mom.client.Message;
import io.mom.client.MessageHandler;
import io.mom.client.MomClient;
import io.mom.client.OutgoingMessage;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.Subscription;
import io.mom.client.SubscriptionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Push subscriptions over REST (SSE) against a real server: acks, prefetch, reconnects, deletion. */
class SubscriptionEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    TestMomServer server;
    MomClient client;
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        server = TestMomServer.start(dataDir);
        client = MomClient.builder().url(url()).credentials("admin", TestMomServer.ADMIN_PASSWORD)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
    }

    /** The server URL the client under test uses; subclasses pick another transport. */
    String url() {
        return server.url();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Message take() throws InterruptedException {
        Message m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a delivery within " + WAIT).isNotNull();
        return m;
    }

    void publish(String queue, int from, int to) {
        client.publishAll(Destination.queue(queue),
                IntStream.rangeClosed(from, to).mapToObj(i -> OutgoingMessage.text("m" + i)).toList());
    }

    @Test
    void deliversInOrderAndAcksFromTheHandlerEmptyTheQueue() throws InterruptedException {
        client.declare(Destination.queue("q"));
        Subscription sub = client.subscribe(Source.queue("q"), m -> {
            received.add(m);
            m.ack();
        });
        publish("q", 1, 5);
        for (int i = 1; i <= 5; i++) {
            assertThat(take().text()).isEqualTo("m" + i);
        }
        await().atMost(WAIT).until(() -> client.describe(Destination.queue("q")).depth() == 0);
        assertThat(sub.isConnected()).isTrue();
        sub.close();
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.CLOSED);
        await().atMost(WAIT).until(() -> client.describe(Destination.queue("q")).consumers() == 0);
    }

    @Test
    void prefetchBoundsUnackedDeliveriesAndAnAckMakesRoom() throws InterruptedException {
        client.declare(Destination.queue("q"));
        client.subscribe(Source.queue("q"), received::add, SubscribeOptions.builder().prefetch(2).build());
        publish("q", 1, 4);
        Message first = take();
        take();
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("window of 2 is full").isNull();
        assertThat(first.ack()).isTrue();
        assertThat(take().text()).isEqualTo("m3");
    }

    @Test
    void aConsumerAckingThroughTheClientKeepsReceivingBeyondItsPrefetch() throws InterruptedException {
        client.declare(Destination.queue("q"));
        Source q = Source.queue("q");
        client.subscribe(q, received::add, SubscribeOptions.builder().prefetch(2).build());
        publish("q", 1, 10);
        for (int i = 1; i <= 10; i++) {
            Message m = take();
            assertThat(m.text()).isEqualTo("m" + i);
            // MomClient.ack with the receipt, not Message.ack(): it must make room in the window too
            assertThat(client.ack(q, List.of(m.receipt().orElseThrow())).applied()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> client.describe(Destination.queue("q")).depth() == 0);
    }

    @Test
    void autoAckDeliveriesNeedNoAck() throws InterruptedException {
        client.declare(Destination.topic("t"));
        client.declareSubscription("t", "s");
        client.subscribe(Source.subscription("t", "s"), received::add,
                SubscribeOptions.builder().ackMode(AckMode.AUTO).build());
        client.publish(Destination.topic("t"), "hello");
        Message m = take();
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.receipt()).isEmpty();
        await().atMost(WAIT).until(() -> client.listSubscriptions("t").get(0).pending() == 0);
    }

    @Test
    void reconnectsAfterTheServerClosesTheStreamAndUnackedMessagesComeBack() throws InterruptedException {
        String token = client.login().token(); // the session the stream will use
        client.declare(Destination.queue("q"));
        AtomicInteger connects = new AtomicInteger();
        Subscription sub = client.subscribe(Source.queue("q"), received::add,
                SubscribeOptions.builder().listener(counting(connects, new AtomicInteger())).build());
        publish("q", 1, 1);
        Message unacked = take();
        assertThat(unacked.deliveryCount()).isEqualTo(1);

        // Revoking the token from elsewhere makes the server close the stream; the client reconnects,
        // is refused with 401, logs in again and reopens it.
        try (MomClient elsewhere = MomClient.builder().url(url()).token(token).build()) {
            elsewhere.logout();
        }
        await().atMost(WAIT).until(() -> connects.get() == 2 && sub.isConnected());
        publish("q", 2, 2);
        Message first = take();
        Message second = take();
        Message again = first.text().equals("m1") ? first : second;
        assertThat(List.of(first.text(), second.text())).containsExactlyInAnyOrder("m1", "m2");
        assertThat(again.deliveryCount()).as("redelivered after its stream ended").isEqualTo(2);
        assertThat(unacked.ack()).as("the receipt of the closed stream no longer applies").isFalse();
        assertThat(again.ack()).isTrue();
    }

    @Test
    void keepsRetryingWhileTheServerIsDownAndEndsWhenTheRestartedServerHasNoSuchQueue() {
        client.declare(Destination.queue("q"));
        AtomicInteger connects = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
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
        }, SubscribeOptions.builder().listener(counting(connects, disconnects)).build());

        server.restart(); // the in-memory store of the new server is empty
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.DELETED);
        assertThat(deleted).hasValue(1);
        assertThat(disconnects.get()).isPositive();
        assertThat(connects).hasValue(1);
    }

    @Test
    void reconnectsToARestartedDurableServerAndGetsTheUnackedMessageAgain() throws InterruptedException {
        client.close();
        server.close();
        server = TestMomServer.startDurable(dataDir.resolve("durable"));
        client = MomClient.builder().url(url()).credentials("admin", TestMomServer.ADMIN_PASSWORD)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        client.declare(Destination.queue("q"));
        AtomicInteger connects = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
        Subscription sub = client.subscribe(Source.queue("q"), received::add,
                SubscribeOptions.builder().listener(counting(connects, disconnects)).build());
        publish("q", 1, 1);
        assertThat(take().text()).isEqualTo("m1");

        server.restart();
        await().atMost(WAIT).until(() -> connects.get() == 2 && sub.isConnected());
        assertThat(disconnects.get()).isPositive();
        Message again = take();
        assertThat(again.text()).as("the unacked message survived the restart").isEqualTo("m1");
        assertThat(again.ack()).isTrue();
        publish("q", 2, 2);
        assertThat(take().text()).isEqualTo("m2");
    }

    private static SubscriptionListener counting(AtomicInteger connects, AtomicInteger disconnects) {
        return new SubscriptionListener() {
            @Override
            public void onConnected(Source source) {
                connects.incrementAndGet();
            }

            @Override
            public void onDisconnected(Source source, Throwable cause, Duration retryIn) {
                disconnects.incrementAndGet();
            }
        };
    }

    @Test
    void deletingTheQueueSendsDeletedAndEndsTheSubscription() {
        client.declare(Destination.queue("q"));
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
        });
        client.delete(Destination.queue("q"));
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.DELETED);
        assertThat(deleted).hasValue(1);
    }

    @Test
    void logoutClosesTheClientsSubscriptions() {
        client.declare(Destination.queue("q"));
        Subscription sub = client.subscribe(Source.queue("q"), received::add);
        client.logout();
        assertThat(sub.whenClosed()).succeedsWithin(WAIT).isEqualTo(CloseReason.CLOSED);
        await().atMost(WAIT).until(() -> client.describe(Destination.queue("q")).consumers() == 0);
    }
}
