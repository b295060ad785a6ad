package io.mom.core.testing;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.Overflow;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link MessageStore} must have. An adapter's test extends this class and says
 * how to open its store; {@link #reopen()} must return a store over the same data (after a close).
 */
public abstract class MessageStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected MessageStore store;

    /** Opens a fresh, empty store. */
    protected abstract MessageStore open();

    /** Closes nothing; opens the same data again (the test closed the previous instance). */
    protected abstract MessageStore reopen();

    @BeforeEach
    void openStore() {
        store = open();
        store.recover(new Collected());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static final class Collected implements RecoveryVisitor {
        public final List<DestinationRecord> destinations = new ArrayList<>();
        public final List<SubscriptionRecord> subscriptions = new ArrayList<>();
        public final List<RecoveredMessage> messages = new ArrayList<>();

        @Override
        public void destination(DestinationRecord destination) {
            destinations.add(destination);
        }

        @Override
        public void subscription(SubscriptionRecord subscription) {
            subscriptions.add(subscription);
        }

        @Override
        public void message(RecoveredMessage message) {
            messages.add(message);
        }
    }

    protected Collected restart() {
        store.close();
        store = reopen();
        Collected c = new Collected();
        store.recover(c);
        return c;
    }

    protected static DestinationRecord queue(String name) {
        return new DestinationRecord(DestinationType.QUEUE, name, "alice", DestinationOptions.DEFAULTS, T0);
    }

    protected static DestinationRecord topic(String name, DestinationOptions options) {
        return new DestinationRecord(DestinationType.TOPIC, name, "bob", options, T0);
    }

    protected static Message message(String destination, int partition, long sequence, String text) {
        return new Message("id-" + destination + "-" + partition + "-" + sequence, destination, partition, sequence,
                text.getBytes(StandardCharsets.UTF_8), Map.of("h", "v"), Optional.of("k"), "alice", T0.plusMillis(sequence),
                Optional.of(T0.plusSeconds(60)));
    }

    private void await(CompletableFuture<Void> f) throws Exception {
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void recoversDestinationsWithOwnersAndOptions() throws Exception {
        DestinationOptions options = DestinationOptions.builder().partitions(3).ackTimeout(Duration.ofSeconds(5))
                .maxDeliveries(7).ttl(Duration.ofMinutes(2)).maxLength(10L).overflow(Overflow.DROP_OLDEST).build();
        await(store.write(List.of(new LogOp.PutDestination(queue("orders")),
                new LogOp.PutDestination(topic("news", options)))));

        Collected c = restart();

        assertThat(c.destinations).containsExactlyInAnyOrder(queue("orders"), topic("news", options));
    }

    @Test
    void recoversSubscriptionsAndForgetsDeletedOnes() throws Exception {
        SubscriptionRecord a = new SubscriptionRecord("news", "a", "carol",
                SubscriptionOptions.of(Duration.ofSeconds(9), 3), T0);
        SubscriptionRecord b = new SubscriptionRecord("news", "b", "dave", SubscriptionOptions.DEFAULTS, T0);
        await(store.write(List.of(new LogOp.PutDestination(topic("news", DestinationOptions.DEFAULTS)),
                new LogOp.PutSubscription(a), new LogOp.PutSubscription(b))));
        await(store.write(List.of(new LogOp.DeleteSubscription("news", "b"))));

        Collected c = restart();

        assertThat(c.subscriptions).containsExactly(a);
    }

    @Test
    void recoversUnackedMessagesInPartitionAndSequenceOrderWithAllFields() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(queue("q")))));
        List<LogOp> appends = new ArrayList<>();
        for (long seq = 0; seq < 5; seq++) {
            appends.add(new LogOp.Append(message("q", (int) (seq % 2), seq, "m" + seq), List.of("$queue")));
        }
        await(store.write(appends));

        Collected c = restart();

        assertThat(c.messages).extracting(m -> m.message().partition() + ":" + m.message().sequence())
                .containsExactly("0:0", "0:2", "0:4", "1:1", "1:3");
        Message first = c.messages.get(0).message();
        Message expected = message("q", 0, 0, "m0");
        assertThat(first.id()).isEqualTo(expected.id());
        assertThat(first.payload()).isEqualTo(expected.payload());
        assertThat(first.headers()).isEqualTo(expected.headers());
        assertThat(first.key()).isEqualTo(expected.key());
        assertThat(first.sender()).isEqualTo(expected.sender());
        assertThat(first.publishedAt()).isEqualTo(expected.publishedAt());
        assertThat(first.expiresAt()).isEqualTo(expected.expiresAt());
        assertThat(c.messages.get(0).pending()).containsExactly(Map.entry("$queue", 0));
    }

    @Test
    void removedMessagesDoNotComeBack() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(queue("q")),
                new LogOp.Append(message("q", 0, 0, "a"), List.of("$queue")),
                new LogOp.Append(message("q", 0, 1, "b"), List.of("$queue")))));
        await(store.write(List.of(new LogOp.Remove("q", 0, 0))));

        Collected c = restart();

        assertThat(c.messages).extracting(m -> m.message().sequence()).containsExactly(1L);
    }

    @Test
    void topicMessageStaysUntilEverySubscriptionAcked() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(topic("t", DestinationOptions.DEFAULTS)),
                new LogOp.PutSubscription(new SubscriptionRecord("t", "a", "x", SubscriptionOptions.DEFAULTS, T0)),
                new LogOp.PutSubscription(new SubscriptionRecord("t", "b", "x", SubscriptionOptions.DEFAULTS, T0)),
                new LogOp.Append(message("t", 0, 0, "m"), List.of("a", "b")))));
        await(store.write(List.of(new LogOp.Ack("t", "a", 0, 0))));

        Collected c = restart();

        assertThat(c.messages).hasSize(1);
        assertThat(c.messages.get(0).pending()).containsOnlyKeys("b");
    }

    @Test
    void deliveryCountsComeBackPerSubscription() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(queue("q")),
                new LogOp.Append(message("q", 0, 0, "m"), List.of("$queue")))));
        store.writeLazily(List.of(new LogOp.DeliveryCount("q", "$queue", 0, 0, 3)));
        await(store.write(List.of(new LogOp.PutDestination(queue("other")))));

        Collected c = restart();

        assertThat(c.messages.get(0).pending()).containsExactly(Map.entry("$queue", 3));
    }

    @Test
    void deletingADestinationDropsItsMessagesAndSubscriptions() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(topic("t", DestinationOptions.DEFAULTS)),
                new LogOp.PutSubscription(new SubscriptionRecord("t", "a", "x", SubscriptionOptions.DEFAULTS, T0)),
                new LogOp.Append(message("t", 0, 0, "m"), List.of("a")),
                new LogOp.PutDestination(queue("keep")),
                new LogOp.Append(message("keep", 0, 0, "k"), List.of("$queue")))));
        await(store.write(List.of(new LogOp.DeleteDestination(DestinationType.TOPIC, "t"))));

        Collected c = restart();

        assertThat(c.destinations).extracting(DestinationRecord::name).containsExactly("keep");
        assertThat(c.subscriptions).isEmpty();
        assertThat(c.messages).extracting(m -> m.message().destination()).containsExactly("keep");
    }

    @Test
    void readsBackAPayload() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(queue("q")),
                new LogOp.Append(message("q", 0, 7, "payload"), List.of("$queue")))));

        assertThat(store.readPayload("q", 0, 7)).hasValueSatisfying(
                p -> assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("payload"));
        assertThat(store.readPayload("q", 0, 8)).isEmpty();
    }

    @Test
    void concurrentWritersAllBecomeDurableInOrderOfTheirCalls() throws Exception {
        await(store.write(List.of(new LogOp.PutDestination(queue("q")))));
        int writers = 4;
        int perWriter = 500;
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < writers; w++) {
            int partition = w;
            threads.add(new Thread(() -> {
                for (long seq = 0; seq < perWriter; seq++) {
                    futures.add(store.write(List.of(new LogOp.Append(message("q", partition, seq, "x"),
                            List.of("$queue")))));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        Collected c = restart();

        assertThat(c.messages).hasSize(writers * perWriter);
    }
}
