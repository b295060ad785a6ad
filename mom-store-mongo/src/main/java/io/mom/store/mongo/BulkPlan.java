package io.mom.store.mongo;

import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.mom.core.Message;
import io.mom.core.spi.LogOp;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns log operations into the write models of one group commit: one ordered list per collection.
 * Single-threaded (the writer's).
 *
 * <p>Appends are inserts (much cheaper than upserts); the writer turns an insert that hits a duplicate key
 * into a replacement ({@link #replacing}), so appending the same message again replaces it. With that,
 * every model is idempotent when the whole list is replayed in order (delivery counts only touch
 * subscriptions still pending), which lets a failed group be retried call by call.
 * A message whose pending set becomes empty is deleted by a conditional delete right after the update
 * that emptied it.
 */
final class BulkPlan {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final Bson NOTHING_PENDING = Filters.eq(MessageCodec.PENDING, new Document());

    final List<WriteModel<Document>> messages = new ArrayList<>();
    final List<WriteModel<Document>> catalog = new ArrayList<>();
    private int operations;

    int operations() {
        return operations;
    }

    void add(List<LogOp> ops) {
        for (LogOp op : ops) {
            add(op);
        }
        operations += ops.size();
    }

    private void add(LogOp op) {
        if (op instanceof LogOp.Append a) {
            Message m = a.message();
            messages.add(new InsertOneModel<>(MessageCodec.encode(m, a.subscriptions())));
        } else if (op instanceof LogOp.Ack a) {
            Bson id = byId(a.destination(), a.partition(), a.sequence());
            messages.add(new UpdateOneModel<>(id, Updates.unset(MessageCodec.pendingPath(a.subscription()))));
            messages.add(new DeleteOneModel<>(Filters.and(id, NOTHING_PENDING)));
        } else if (op instanceof LogOp.Remove r) {
            messages.add(new DeleteOneModel<>(byId(r.destination(), r.partition(), r.sequence())));
        } else if (op instanceof LogOp.DeliveryCount c) {
            String path = MessageCodec.pendingPath(c.subscription());
            // Only while still pending: a late count must not bring back an acked subscription.
            messages.add(new UpdateOneModel<>(Filters.and(byId(c.destination(), c.partition(), c.sequence()),
                    Filters.exists(path)), Updates.max(path, c.count())));
        } else if (op instanceof LogOp.PutDestination p) {
            catalog.add(new ReplaceOneModel<>(Filters.eq("_id", CatalogCodec.destinationId(p.destination().name())),
                    CatalogCodec.encode(p.destination()), UPSERT));
        } else if (op instanceof LogOp.DeleteDestination d) {
            catalog.add(new DeleteOneModel<>(Filters.eq("_id", CatalogCodec.destinationId(d.name()))));
            catalog.add(new DeleteManyModel<>(Filters.and(
                    Filters.eq(CatalogCodec.KIND, CatalogCodec.SUBSCRIPTION_KIND),
                    Filters.eq(CatalogCodec.TOPIC, d.name()))));
            messages.add(new DeleteManyModel<>(Filters.eq(MessageCodec.DESTINATION, d.name())));
        } else if (op instanceof LogOp.PutSubscription p) {
            catalog.add(new ReplaceOneModel<>(Filters.eq("_id",
                    CatalogCodec.subscriptionId(p.subscription().topic(), p.subscription().name())),
                    CatalogCodec.encode(p.subscription()), UPSERT));
        } else if (op instanceof LogOp.DeleteSubscription d) {
            catalog.add(new DeleteOneModel<>(Filters.eq("_id", CatalogCodec.subscriptionId(d.topic(), d.subscription()))));
            String path = MessageCodec.pendingPath(d.subscription());
            Bson ofTopic = Filters.eq(MessageCodec.DESTINATION, d.topic());
            messages.add(new UpdateManyModel<>(Filters.and(ofTopic, Filters.exists(path)), Updates.unset(path)));
            messages.add(new DeleteManyModel<>(Filters.and(ofTopic, NOTHING_PENDING)));
        } else {
            throw new IllegalArgumentException("unknown log operation " + op.getClass().getName());
        }
    }

    /**
     * The append as a replacement of the stored message, for when its insert hit a duplicate key (the same
     * append written again, say after a write whose outcome was unknown): appending replaces.
     */
    static WriteModel<Document> replacing(InsertOneModel<Document> insert) {
        Document doc = insert.getDocument();
        return new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, UPSERT);
    }

    private static Bson byId(String destination, int partition, long sequence) {
        return Filters.eq("_id", MessageCodec.id(destination, partition, sequence));
    }
}
