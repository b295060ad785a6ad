package io.mom.store.mongo;

import io.mom.core.Message;
import io.mom.core.spi.RecoveredMessage;
import org.bson.Document;
import org.bson.types.Binary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps messages to documents of the {@code messages} collection and back. Stateless.
 *
 * <p>Layout: {@code {_id: {d, p, s}, id, payload, headers: [{k, v}], key?, sender, publishedAt,
 * expiresAt?, pending: {subscription: deliveryCount}}}. The {@code _id} fields are in that order so that
 * sorting by {@code _id} gives destination, partition, sequence order. Header names are arbitrary text,
 * so headers are a list of pairs rather than field names; subscription names are encoded with
 * {@link BsonFields#fieldName(String)}.
 */
final class MessageCodec {
    static final String ID = "_id";
    static final String DESTINATION = ID + ".d";
    static final String PAYLOAD = "payload";
    static final String PENDING = "pending";

    private MessageCodec() {
    }

    static Document id(String destination, int partition, long sequence) {
        return new Document("d", destination).append("p", partition).append("s", sequence);
    }

    /** The update path of one subscription's delivery count. */
    static String pendingPath(String subscription) {
        return PENDING + "." + BsonFields.fieldName(subscription);
    }

    static Document encode(Message m, List<String> subscriptions) {
        Document doc = new Document(ID, id(m.destination(), m.partition(), m.sequence()))
                .append("id", m.id())
                .append(PAYLOAD, new Binary(m.payload()));
        if (!m.headers().isEmpty()) {
            List<Document> headers = new ArrayList<>(m.headers().size());
            m.headers().forEach((k, v) -> headers.add(new Document("k", k).append("v", v)));
            doc.append("headers", headers);
        }
        m.key().ifPresent(k -> doc.append("key", k));
        doc.append("sender", m.sender());
        BsonFields.putInstant(doc, "publishedAt", m.publishedAt());
        m.expiresAt().ifPresent(e -> BsonFields.putInstant(doc, "expiresAt", e));
        Document pending = new Document();
        for (String s : subscriptions) {
            pending.append(BsonFields.fieldName(s), 0);
        }
        return doc.append(PENDING, pending);
    }

    static RecoveredMessage decode(Document doc) {
        Document id = doc.get(ID, Document.class);
        Map<String, String> headers = new HashMap<>();
        List<Document> pairs = doc.getList("headers", Document.class);
        if (pairs != null) {
            pairs.forEach(h -> headers.put(h.getString("k"), h.getString("v")));
        }
        Message message = new Message(doc.getString("id"), id.getString("d"), id.getInteger("p"),
                ((Number) id.get("s")).longValue(), doc.get(PAYLOAD, Binary.class).getData(), headers,
                Optional.ofNullable(doc.getString("key")), doc.getString("sender"),
                BsonFields.getInstant(doc, "publishedAt"),
                doc.containsKey("expiresAt") ? Optional.of(BsonFields.getInstant(doc, "expiresAt")) : Optional.empty());
        return new RecoveredMessage(message, pending(doc));
    }

    static Map<String, Integer> pending(Document doc) {
        Document pending = doc.get(PENDING, Document.class);
        if (pending == null || pending.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> counts = new HashMap<>(pending.size() * 2);
        pending.forEach((k, v) -> counts.put(BsonFields.nameOf(k), ((Number) v).intValue()));
        return counts;
    }
}
