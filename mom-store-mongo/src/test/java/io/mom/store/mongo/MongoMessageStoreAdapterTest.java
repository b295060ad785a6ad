package io.mom.store.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.SubscriptionRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mom.store.mongo.TestData.append;
import static io.mom.store.mongo.TestData.queue;
import static io.mom.store.mongo.TestData.recover;
import static io.mom.store.mongo.TestData.subscription;
import static io.mom.store.mongo.TestData.topic;
import static org.assertj.core.api.Assertions.assertThat;

/** What the MongoDB layout adds to the store contract: per-database isolation, pending-set upkeep, encodings. */
class MongoMessageStoreAdapterTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedMongo mongo;
    private static MongoClient raw;
    private MongoStoreSettings settings;
    private MongoMessageStore store;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
        raw = mongo.client();
    }

    @AfterAll
    static void stopMongo() {
        raw.close();
        mongo.close();
    }

    @BeforeEach
    void openStore() {
        settings = mongo.settings("adapter_" + DATABASES.incrementAndGet());
        store = MongoMessageStore.open(settings);
        recover(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void write(LogOp... ops) throws Exception {
        store.write(List.of(ops)).get(10, TimeUnit.SECONDS);
    }

    private TestData.Recovered restart() {
        store.close();
        store = MongoMessageStore.open(settings);
        return recover(store);
    }

    private MongoCollection<Document> rawMessages() {
        return raw.getDatabase(settings.database()).getCollection(MongoMessageStore.MESSAGES);
    }

    @Test
    void storesInDifferentDatabasesOfOneServerDoNotSeeEachOther() throws Exception {
        MongoStoreSettings otherSettings = mongo.settings("adapter_other_" + DATABASES.incrementAndGet());
        try (MongoMessageStore other = MongoMessageStore.open(otherSettings)) {
            recover(other);
            write(queue("q"), append("q", 1, "$queue"));
            other.write(List.of(queue("r"), append("r", 2, "$queue"))).get(10, TimeUnit.SECONDS);
        }

        TestData.Recovered mine = restart();
        try (MongoMessageStore other = MongoMessageStore.open(otherSettings)) {
            TestData.Recovered theirs = recover(other);
            assertThat(mine.destinations).extracting(DestinationRecord::name).containsExactly("q");
            assertThat(mine.messages).extracting(m -> m.message().destination()).containsExactly("q");
            assertThat(theirs.destinations).extracting(DestinationRecord::name).containsExactly("r");
            assertThat(theirs.messages).extracting(m -> m.message().destination()).containsExactly("r");
        }
    }

    @Test
    void ackingTheLastPendingSubscriptionForgetsTheMessageEvenWithoutARemove() throws Exception {
        write(topic("t"), subscription("t", "a"), subscription("t", "b"), append("t", 1, "a", "b"),
                append("t", 2, "a", "b"));
        write(new LogOp.Ack("t", "a", 0, 1), new LogOp.Ack("t", "b", 0, 1), new LogOp.Ack("t", "a", 0, 2));

        assertThat(rawMessages().countDocuments()).isEqualTo(1);
        assertThat(store.readPayload("t", 0, 1)).isEmpty();
        TestData.Recovered r = restart();
        assertThat(r.sequences()).containsExactly(2L);
        assertThat(r.messages.get(0).pending()).containsOnlyKeys("b");
    }

    @Test
    void deletingASubscriptionReleasesItFromPendingSetsAndForgetsMessagesOnlyItNeeded() throws Exception {
        write(topic("t"), subscription("t", "a"), subscription("t", "b"), append("t", 1, "a", "b"),
                append("t", 2, "b"));
        write(new LogOp.DeleteSubscription("t", "b"));

        assertThat(rawMessages().countDocuments()).isEqualTo(1);
        TestData.Recovered r = restart();
        assertThat(r.subscriptions).extracting(SubscriptionRecord::name).containsExactly("a");
        assertThat(r.sequences()).containsExactly(1L);
        assertThat(r.messages.get(0).pending()).containsOnlyKeys("a");
    }

    @Test
    void aDeliveryCountWrittenAfterTheAckDoesNotBringTheSubscriptionBack() throws Exception {
        write(topic("t"), subscription("t", "a"), subscription("t", "b"), append("t", 1, "a", "b"));
        write(new LogOp.DeliveryCount("t", "b", 0, 1, 2), new LogOp.Ack("t", "a", 0, 1),
                new LogOp.DeliveryCount("t", "a", 0, 1, 3), new LogOp.DeliveryCount("t", "b", 0, 1, 1));

        TestData.Recovered r = restart();

        assertThat(r.messages.get(0).pending()).containsExactly(Map.entry("b", 2));
    }

    @Test
    void namesAndHeadersThatAreNotValidFieldNamesAndSubMillisecondInstantsRoundTrip() throws Exception {
        Instant precise = Instant.parse("2026-01-01T00:00:00.123456789Z");
        DestinationRecord news = new DestinationRecord(DestinationType.TOPIC, "news.eu", "bob",
                DestinationOptions.builder().ttl(Duration.ofNanos(1_500_000)).maxLength(5L).build(), precise);
        SubscriptionRecord dotted = new SubscriptionRecord("news.eu", "a.b", "carol",
                SubscriptionOptions.of(Duration.ofSeconds(2), null), precise);
        Message m = new Message("id-1", "news.eu", 0, 1, new byte[] {0, -1, 42}, Map.of("x.y", "1", "$z", "2", "%", "3"),
                Optional.of("k"), "alice", precise, Optional.of(precise.plusSeconds(1)));
        write(new LogOp.PutDestination(news), new LogOp.PutSubscription(dotted),
                new LogOp.Append(m, List.of("a.b", "$queue")), new LogOp.DeliveryCount("news.eu", "a.b", 0, 1, 2));

        Document stored = rawMessages().find().first();
        TestData.Recovered r = restart();

        assertThat(stored.get("_id", Document.class)).isEqualTo(new Document("d", "news.eu").append("p", 0).append("s", 1L));
        assertThat(stored.get("pending", Document.class)).isEqualTo(new Document("a%2Eb", 2).append("%24queue", 0));
        assertThat(r.destinations).containsExactly(news);
        assertThat(r.subscriptions).containsExactly(dotted);
        Message back = r.messages.get(0).message();
        assertThat(back.payload()).containsExactly(0, -1, 42);
        assertThat(back).usingRecursiveComparison().ignoringFields("payload").isEqualTo(m);
        assertThat(r.messages.get(0).pending()).containsOnly(Map.entry("a.b", 2), Map.entry("$queue", 0));
    }

    @Test
    void appendingAStoredMessageAgainReplacesItAndTheRestOfTheGroupIsStillWritten() throws Exception {
        write(topic("t"), subscription("t", "a"), subscription("t", "b"), append("t", 1, "a", "b"));
        write(new LogOp.Ack("t", "a", 0, 1), new LogOp.DeliveryCount("t", "b", 0, 1, 3));

        // Written again (a retry after an unknown outcome, a replica catching up), then more in the same call.
        write(append("t", 1, "a", "b"), append("t", 2, "b"), new LogOp.DeliveryCount("t", "a", 0, 1, 1));

        TestData.Recovered r = restart();
        assertThat(r.sequences()).containsExactly(1L, 2L);
        assertThat(r.messages.get(0).pending()).containsOnly(Map.entry("a", 1), Map.entry("b", 0));
    }

    @Test
    void recoverySkipsAndRemovesWhatAHalfWrittenGroupLeftBehind() throws Exception {
        write(queue("q"), append("q", 1, "$queue"), append("q", 2, "$queue"));
        // A group that failed half-way: pending emptied without the delete, and a destination deleted from the
        // catalog without its messages.
        rawMessages().updateOne(new Document("_id", MessageCodec.id("q", 0, 1)),
                new Document("$set", new Document("pending", new Document())));
        rawMessages().insertOne(MessageCodec.encode(TestData.message("ghost", 0, 1, new byte[1]), List.of("$queue")));

        TestData.Recovered r = restart();

        assertThat(r.sequences()).containsExactly(2L);
        assertThat(r.messages).extracting(m -> m.message().destination()).containsExactly("q");
        assertThat(rawMessages().countDocuments()).isEqualTo(1);
    }
}
