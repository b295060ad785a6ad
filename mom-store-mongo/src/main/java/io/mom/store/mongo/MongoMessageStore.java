package io.mom.store.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.mom.core.MomException;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.StoreException;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A {@link MessageStore} in one MongoDB database: collection {@code catalog} (destinations and
 * subscriptions) and collection {@code messages}, one document per message keyed by
 * {@code {d: destination, p: partition, s: sequence}} with its pending subscriptions and their delivery
 * counts (layout in {@link MessageCodec}).
 *
 * <p>It relies on single-document atomic updates, ordered bulk writes and the {@code _id} index (plus a
 * non-unique index on the destination, which only speeds up deleting a destination or subscription): no
 * transactions, change streams or TTL indexes. An ack is an {@code $unset} of one pending
 * subscription, a delivery count a {@code $max}, a removal a delete.
 *
 * <p>Threading: {@link #write} and {@link #writeLazily} are thread-safe and group-committed: calls
 * that arrive while a group is being written form the next group, written by one writer thread as one
 * ordered bulk write per collection; futures complete in call order on a completion thread, once the
 * write concern of {@link MongoStoreSettings#durability()} is met. Continuations attached to those
 * futures run on the completion thread: they must not block waiting for another write of this store
 * (that would deadlock it). There are no multi-document
 * transactions, so a failed group may have applied part of its operations; recovery tolerates what such
 * a failure can leave behind (messages with nothing pending, messages of a deleted destination) and
 * removes it. Failures are {@link StoreException}s; driver exceptions never escape (they are causes).
 *
 * <p>Lifecycle: {@link #open} creates the client without connecting; {@link #recover} checks the server
 * (failing within the server selection timeout when it is unreachable) and creates the indexes;
 * {@link #close} writes everything queued, then closes the client.
 */
public final class MongoMessageStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(MongoMessageStore.class);
    static final String MESSAGES = "messages";
    static final String CATALOG = "catalog";
    private static final int RECOVERY_BATCH_SIZE = 4096;

    private final MongoConnection connection;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> catalog;
    private final GroupCommit groupCommit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MongoMessageStore(MongoConnection connection, BrokerEvents events) {
        this.connection = connection;
        this.messages = connection.collection(MESSAGES);
        this.catalog = connection.collection(CATALOG);
        this.groupCommit = new GroupCommit(connection, messages, catalog, connection.database(), events);
    }

    /** Creates the store over the settings' database; nothing is read until {@link #recover}. */
    public static MongoMessageStore open(MongoStoreSettings settings) {
        return open(settings, BrokerEvents.NONE);
    }

    /**
     * The same, telling {@code events} of each group commit written
     * ({@link BrokerEvents#storeCommitted}: operations and time).
     */
    public static MongoMessageStore open(MongoStoreSettings settings, BrokerEvents events) {
        return new MongoMessageStore(new MongoConnection(settings), java.util.Objects.requireNonNull(events, "events"));
    }

    @Override
    public void recover(RecoveryVisitor visitor) {
        connection.ping();
        try {
            messages.createIndex(Indexes.ascending(MessageCodec.DESTINATION), new IndexOptions().name("by_destination"));
            Set<String> destinations = new HashSet<>();
            for (Document doc : catalog.find(Filters.eq(CatalogCodec.KIND, CatalogCodec.DESTINATION_KIND))
                    .sort(Sorts.ascending("_id"))) {
                DestinationRecord destination = decode(doc, CatalogCodec::decodeDestination);
                destinations.add(destination.name());
                visitor.destination(destination);
            }
            for (Document doc : catalog.find(Filters.eq(CatalogCodec.KIND, CatalogCodec.SUBSCRIPTION_KIND))
                    .sort(Sorts.ascending("_id"))) {
                visitor.subscription(decode(doc, CatalogCodec::decodeSubscription));
            }
            recoverMessages(visitor, destinations);
        } catch (MomException e) {
            throw e;
        } catch (RuntimeException e) {
            throw connection.failure("recovery", e);
        }
    }

    private void recoverMessages(RecoveryVisitor visitor, Set<String> destinations) {
        long recovered = 0;
        long empty = 0;
        Set<String> orphans = new HashSet<>();
        try (MongoCursor<Document> cursor = messages.find().sort(Sorts.ascending("_id"))
                .batchSize(RECOVERY_BATCH_SIZE).iterator()) {
            while (cursor.hasNext()) {
                Document doc = cursor.next();
                String destination = doc.get("_id", Document.class).getString("d");
                if (!destinations.contains(destination)) {
                    orphans.add(destination);
                } else if (MessageCodec.pending(doc).isEmpty()) {
                    empty++;
                } else {
                    visitor.message(decode(doc, MessageCodec::decode));
                    recovered++;
                }
            }
        }
        // Left behind by a group that failed half-way (no transactions): finish its job now.
        if (empty > 0) {
            messages.deleteMany(Filters.eq(MessageCodec.PENDING, new Document()));
        }
        if (!orphans.isEmpty()) {
            log.warn("event=mongo_recovery_orphans store={} destinations={}", connection.describe(), orphans);
            messages.deleteMany(Filters.in(MessageCodec.DESTINATION, orphans));
        }
        log.info("event=mongo_recovered store={} destinations={} messages={} cleaned={}", connection.describe(),
                destinations.size(), recovered, empty);
    }

    private static <T> T decode(Document doc, Function<Document, T> decoder) {
        try {
            return decoder.apply(doc);
        } catch (RuntimeException e) {
            throw new StoreException("unreadable document in MongoDB store: _id=" + doc.get("_id"), e);
        }
    }

    @Override
    public CompletableFuture<Void> write(List<LogOp> ops) {
        return groupCommit.submit(ops, false);
    }

    @Override
    public void writeLazily(List<LogOp> ops) {
        groupCommit.submit(ops, true);
    }

    @Override
    public Optional<byte[]> readPayload(String destination, int partition, long sequence) {
        try {
            Document doc = messages.find(Filters.eq("_id", MessageCodec.id(destination, partition, sequence)))
                    .projection(Projections.include(MessageCodec.PAYLOAD)).first();
            return Optional.ofNullable(doc).map(d -> d.get(MessageCodec.PAYLOAD, Binary.class).getData());
        } catch (RuntimeException e) {
            throw connection.failure("read", e);
        }
    }

    /** Group commits written so far (for tests of batching). */
    long groupCommits() {
        return groupCommit.groups();
    }

    /** Test seam: while paused, writes queue up instead of being written. */
    void pauseWrites(boolean pause) {
        groupCommit.pause(pause);
    }

    /** Calls waiting for the writer (for tests). */
    int queuedWrites() {
        return groupCommit.queued();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            groupCommit.close();
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "MongoMessageStore[" + connection.describe() + "]";
    }
}
