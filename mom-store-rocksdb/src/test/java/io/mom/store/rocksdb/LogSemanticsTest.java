package io.mom.store.rocksdb;

import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.spi.LogOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mom.store.rocksdb.Fixtures.await;
import static io.mom.store.rocksdb.Fixtures.message;
import static io.mom.store.rocksdb.Fixtures.queue;
import static io.mom.store.rocksdb.Fixtures.subscription;
import static io.mom.store.rocksdb.Fixtures.topic;
import static org.assertj.core.api.Assertions.assertThat;

/** How the RocksDB log applies operations whose effect depends on what is already stored. */
class LogSemanticsTest {
    @TempDir
    Path dir;

    private RocksDbStorage storage;

    @BeforeEach
    void open() {
        storage = RocksDbStorage.open(dir);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private void write(LogOp... ops) throws Exception {
        await(storage.messageStore().write(List.of(ops)));
    }

    private Fixtures.Recorded restart() {
        storage.close();
        storage = RocksDbStorage.open(dir);
        return Fixtures.recover(storage);
    }

    private void topicWithSubscriptions() throws Exception {
        write(new LogOp.PutDestination(topic("t")), new LogOp.PutSubscription(subscription("t", "a")),
                new LogOp.PutSubscription(subscription("t", "b")));
    }

    @Test
    void deletingASubscriptionReleasesItsMarksAndMessagesNoOneElseNeeds() throws Exception {
        topicWithSubscriptions();
        write(new LogOp.Append(message("t", 0, 1, "both"), List.of("a", "b")),
                new LogOp.Append(message("t", 0, 2, "only a"), List.of("a")));

        write(new LogOp.DeleteSubscription("t", "a"));
        Fixtures.Recorded r = restart();

        assertThat(r.positions()).containsExactly("t/0/1");
        assertThat(r.pendingOf("t/0/1")).containsOnlyKeys("b");
        assertThat(r.subscriptions).extracting(s -> s.name()).containsExactly("b");
    }

    @Test
    void ackingTheLastPendingSubscriptionForgetsTheMessage() throws Exception {
        topicWithSubscriptions();
        write(new LogOp.Append(message("t", 0, 1, "m"), List.of("a", "b")));

        write(new LogOp.Ack("t", "a", 0, 1), new LogOp.Ack("t", "b", 0, 1));

        assertThat(storage.messageStore().readPayload("t", 0, 1)).isEmpty();
        assertThat(restart().messages).isEmpty();
    }

    @Test
    void aDeliveryCountAfterTheAckDoesNotBringTheSubscriptionBack() throws Exception {
        topicWithSubscriptions();
        write(new LogOp.Append(message("t", 0, 1, "m"), List.of("a", "b")));
        write(new LogOp.Ack("t", "a", 0, 1));

        storage.messageStore().writeLazily(List.of(new LogOp.DeliveryCount("t", "a", 0, 1, 4)));
        write(new LogOp.DeliveryCount("t", "b", 0, 1, 2));

        assertThat(restart().pendingOf("t/0/1")).containsExactly(Map.entry("b", 2));
    }

    @Test
    void deliveryCountsNeverGoBack() throws Exception {
        write(new LogOp.PutDestination(queue("q")), new LogOp.Append(message("q", 0, 0, "m"), List.of("$queue")));

        write(new LogOp.DeliveryCount("q", "$queue", 0, 0, 3));
        write(new LogOp.DeliveryCount("q", "$queue", 0, 0, 2));

        assertThat(restart().pendingOf("q/0/0")).containsExactly(Map.entry("$queue", 3));
    }

    @Test
    void operationsOfOneCallSeeTheEarlierOnes() throws Exception {
        topicWithSubscriptions();

        write(new LogOp.Append(message("t", 0, 1, "m"), List.of("a", "b")),
                new LogOp.DeliveryCount("t", "b", 0, 1, 5), new LogOp.Ack("t", "a", 0, 1),
                new LogOp.Append(message("t", 0, 2, "gone"), List.of("a")), new LogOp.Remove("t", 0, 2));

        Fixtures.Recorded r = restart();
        assertThat(r.positions()).containsExactly("t/0/1");
        assertThat(r.pendingOf("t/0/1")).containsExactly(Map.entry("b", 5));
    }

    @Test
    void aDestinationDeletedAndRecreatedInOneGroupKeepsOnlyItsNewMessages() throws Exception {
        write(new LogOp.PutDestination(queue("q")), new LogOp.Append(message("q", 0, 0, "old"), List.of("$queue")));

        write(new LogOp.Append(message("q", 0, 1, "old too"), List.of("$queue")),
                new LogOp.DeleteDestination(DestinationType.QUEUE, "q"), new LogOp.PutDestination(queue("q")),
                new LogOp.Append(message("q", 0, 2, "new"), List.of("$queue")));

        Fixtures.Recorded r = restart();
        assertThat(r.destinations).extracting(d -> d.name()).containsExactly("q");
        assertThat(r.positions()).containsExactly("q/0/2");
    }

    @Test
    void operationsAfterADestinationDeletionInTheSameCallReadTheDeletedState() throws Exception {
        topicWithSubscriptions();
        write(new LogOp.Append(message("t", 0, 1, "old"), List.of("a", "b")));

        write(new LogOp.DeleteDestination(DestinationType.TOPIC, "t"), new LogOp.PutDestination(topic("t")),
                new LogOp.PutSubscription(subscription("t", "a")),
                new LogOp.Append(message("t", 0, 2, "new"), List.of("a")), new LogOp.Ack("t", "b", 0, 1),
                new LogOp.DeliveryCount("t", "a", 0, 1, 7), new LogOp.DeliveryCount("t", "a", 0, 2, 3));

        Fixtures.Recorded r = restart();
        assertThat(r.subscriptions).extracting(s -> s.name()).containsExactly("a");
        assertThat(r.positions()).containsExactly("t/0/2");
        assertThat(r.pendingOf("t/0/2")).containsExactly(Map.entry("a", 3));
    }

    @Test
    void deletingADestinationLeavesDestinationsWhoseNameItPrefixes() throws Exception {
        write(new LogOp.PutDestination(queue("a")), new LogOp.PutDestination(queue("ab")),
                new LogOp.PutDestination(queue("a.b")), new LogOp.Append(message("a", 0, 0, "x"), List.of("$queue")),
                new LogOp.Append(message("ab", 0, 0, "y"), List.of("$queue")),
                new LogOp.Append(message("a.b", 0, 0, "z"), List.of("$queue")));

        write(new LogOp.DeleteDestination(DestinationType.QUEUE, "a"));

        Fixtures.Recorded r = restart();
        assertThat(r.destinations).extracting(d -> d.name()).containsExactly("a.b", "ab");
        assertThat(r.positions()).containsExactly("a.b/0/0", "ab/0/0");
    }

    @Test
    void recoveryOrdersSequencesNumericallyIncludingLargeOnes() throws Exception {
        write(new LogOp.PutDestination(queue("q")));
        long[] sequences = {Long.MAX_VALUE, 256, 1, 255, 0, 1L << 40};
        for (long s : sequences) {
            write(new LogOp.Append(message("q", 1, s, "m"), List.of("$queue")));
        }
        write(new LogOp.Append(message("q", 0, 9, "m"), List.of("$queue")));

        assertThat(restart().positions()).containsExactly("q/0/9", "q/1/0", "q/1/1", "q/1/255", "q/1/256",
                "q/1/" + (1L << 40), "q/1/" + Long.MAX_VALUE);
    }

    @Test
    void aMessageWithoutOptionalFieldsAndWithBinaryPayloadRoundTrips() throws Exception {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        Message m = new Message("id-1", "q", 0, 0, payload, Map.of("a", "1", "ü", "é"), Optional.empty(), "bob",
                Instant.ofEpochSecond(1, 999_999_999), Optional.empty());
        Message empty = new Message("id-2", "q", 0, 1, new byte[0], Map.of(), Optional.of(""), "bob",
                Instant.ofEpochSecond(-5), Optional.of(Instant.ofEpochSecond(7, 3)));
        write(new LogOp.PutDestination(queue("q")), new LogOp.Append(m, List.of("$queue")),
                new LogOp.Append(empty, List.of("$queue")));

        assertThat(storage.messageStore().readPayload("q", 0, 0)).hasValue(payload);
        Fixtures.Recorded r = restart();
        assertThat(r.messages.get(0).message()).usingRecursiveComparison().isEqualTo(m);
        assertThat(r.messages.get(1).message()).usingRecursiveComparison().isEqualTo(empty);
    }

    @Test
    void aMessageAppendedForNoSubscriptionComesBackWithNonePending() throws Exception {
        write(new LogOp.PutDestination(topic("t")), new LogOp.Append(message("t", 0, 0, "m"), List.of()));

        assertThat(restart().pendingOf("t/0/0")).isEmpty();
    }
}
