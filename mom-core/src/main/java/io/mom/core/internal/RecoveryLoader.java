package io.mom.core.internal;

import io.mom.core.DestinationType;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Rebuilds the in-memory index from a store: everything at start, or the destinations a filter
 * accepts when a cluster node adopts them. Destinations are staged here and registered with the
 * broker only by {@link #register()}, so requests never see a half-loaded destination.
 * Single-threaded.
 */
final class RecoveryLoader implements RecoveryVisitor {
    private static final Logger log = LoggerFactory.getLogger(RecoveryLoader.class);

    private final CoreBroker broker;
    private final Catalog catalog;
    private final long nowMs;
    private final Predicate<String> wanted;
    private final Map<String, Destination> loaded = new LinkedHashMap<>();
    private long messages;

    RecoveryLoader(CoreBroker broker) {
        this(broker, name -> true);
    }

    /** Loads only the destinations whose names {@code wanted} accepts. */
    RecoveryLoader(CoreBroker broker, Predicate<String> wanted) {
        this.broker = broker;
        this.catalog = new Catalog(broker);
        this.nowMs = broker.clock.millis();
        this.wanted = wanted;
    }

    /** Makes the loaded destinations visible to requests; returns how many. */
    int register() {
        loaded.values().forEach(catalog::register);
        return loaded.size();
    }

    long messages() {
        return messages;
    }

    @Override
    public void destination(DestinationRecord record) {
        if (wanted.test(record.name())) {
            Destination d = new Destination(broker, record);
            Catalog.prepare(d);
            loaded.put(d.name(), d);
        }
    }

    @Override
    public void subscription(SubscriptionRecord record) {
        if (!wanted.test(record.topic())) {
            return;
        }
        Destination d = loaded.get(record.topic());
        if (d == null || !d.isType(DestinationType.TOPIC)) {
            log.warn("event=recovery_orphan_subscription topic={} subscription={}", record.topic(), record.name());
            return;
        }
        SubscriptionRef ref = SubscriptionRef.topic(record.topic(), record.name());
        d.addSubscription(new Subscription(d, ref, record.owner(), record.options(), record.createdAt()));
    }

    @Override
    public void message(RecoveredMessage recovered) {
        Destination d = loaded.get(recovered.message().destination());
        if (d == null) {
            return;
        }
        List<Subscription> pendingIn = new ArrayList<>(recovered.pending().size());
        List<Integer> deliveries = new ArrayList<>(recovered.pending().size());
        for (Map.Entry<String, Integer> p : recovered.pending().entrySet()) {
            Subscription s = d.subscriptions().get(p.getKey());
            if (s != null) {
                pendingIn.add(s);
                deliveries.add(p.getValue());
            }
        }
        if (pendingIn.isEmpty()) {
            return;
        }
        if (recovered.message().partition() >= d.options().partitions()) {
            log.warn("event=recovery_bad_partition destination={} partition={}", d.name(),
                    recovered.message().partition());
            return;
        }
        d.recover(recovered.message(), pendingIn, deliveries);
        d.rememberRecovered(recovered.message().id(), recovered.message().publishedAt().toEpochMilli(), nowMs);
        messages++;
    }
}
