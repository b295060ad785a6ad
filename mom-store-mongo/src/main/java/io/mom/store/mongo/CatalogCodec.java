package io.mom.store.mongo;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Overflow;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.SubscriptionRecord;
import org.bson.Document;

import java.time.Duration;
import java.util.Optional;

/**
 * Maps destinations and subscriptions to documents of the {@code catalog} collection and back.
 * Stateless.
 *
 * <p>Both kinds share the collection, told apart by {@code kind}. Their {@code _id} is
 * {@code destination/<name>} or {@code subscription/<topic>/<name>} (names never contain {@code /}),
 * so uniqueness comes with the {@code _id} index. Durations are ISO-8601 text (exact and readable).
 */
final class CatalogCodec {
    static final String KIND = "kind";
    static final String TOPIC = "topic";
    static final String DESTINATION_KIND = "destination";
    static final String SUBSCRIPTION_KIND = "subscription";

    private CatalogCodec() {
    }

    static String destinationId(String name) {
        return DESTINATION_KIND + "/" + name;
    }

    static String subscriptionId(String topic, String name) {
        return SUBSCRIPTION_KIND + "/" + topic + "/" + name;
    }

    static Document encode(DestinationRecord d) {
        DestinationOptions o = d.options();
        Document options = new Document("partitions", o.partitions())
                .append("ackTimeout", o.ackTimeout().toString())
                .append("maxDeliveries", o.maxDeliveries())
                .append("overflow", o.overflow().name());
        o.ttl().ifPresent(ttl -> options.append("ttl", ttl.toString()));
        o.maxLength().ifPresent(max -> options.append("maxLength", max));
        Document doc = new Document("_id", destinationId(d.name()))
                .append(KIND, DESTINATION_KIND)
                .append("name", d.name())
                .append("type", d.type().name())
                .append("owner", d.owner())
                .append("options", options);
        BsonFields.putInstant(doc, "createdAt", d.createdAt());
        return doc;
    }

    static DestinationRecord decodeDestination(Document doc) {
        Document o = doc.get("options", Document.class);
        DestinationOptions options = DestinationOptions.builder()
                .partitions(o.getInteger("partitions"))
                .ackTimeout(Duration.parse(o.getString("ackTimeout")))
                .maxDeliveries(o.getInteger("maxDeliveries"))
                .ttl(o.containsKey("ttl") ? Duration.parse(o.getString("ttl")) : null)
                .maxLength(o.containsKey("maxLength") ? ((Number) o.get("maxLength")).longValue() : null)
                .overflow(Overflow.valueOf(o.getString("overflow")))
                .build();
        return new DestinationRecord(DestinationType.valueOf(doc.getString("type")), doc.getString("name"),
                doc.getString("owner"), options, BsonFields.getInstant(doc, "createdAt"));
    }

    static Document encode(SubscriptionRecord s) {
        Document options = new Document();
        s.options().ackTimeout().ifPresent(t -> options.append("ackTimeout", t.toString()));
        s.options().maxDeliveries().ifPresent(m -> options.append("maxDeliveries", m));
        Document doc = new Document("_id", subscriptionId(s.topic(), s.name()))
                .append(KIND, SUBSCRIPTION_KIND)
                .append(TOPIC, s.topic())
                .append("name", s.name())
                .append("owner", s.owner())
                .append("options", options);
        BsonFields.putInstant(doc, "createdAt", s.createdAt());
        return doc;
    }

    static SubscriptionRecord decodeSubscription(Document doc) {
        Document o = doc.get("options", Document.class);
        SubscriptionOptions options = new SubscriptionOptions(
                Optional.ofNullable(o.getString("ackTimeout")).map(Duration::parse),
                Optional.ofNullable(o.getInteger("maxDeliveries")));
        return new SubscriptionRecord(doc.getString(TOPIC), doc.getString("name"), doc.getString("owner"), options,
                BsonFields.getInstant(doc, "createdAt"));
    }
}
