package io.mom.store.mongo;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records and recovery helpers shared by the adapter tests. */
final class TestData {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestData() {
    }

    static LogOp.PutDestination queue(String name) {
        return new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE, name, "alice",
                DestinationOptions.DEFAULTS, T0));
    }

    static LogOp.PutDestination topic(String name) {
        return new LogOp.PutDestination(new DestinationRecord(DestinationType.TOPIC, name, "bob",
                DestinationOptions.DEFAULTS, T0));
    }

    static LogOp.PutSubscription subscription(String topic, String name) {
        return new LogOp.PutSubscription(new SubscriptionRecord(topic, name, "carol", SubscriptionOptions.DEFAULTS, T0));
    }

    static Message message(String destination, int partition, long sequence, byte[] payload) {
        return new Message("id-" + destination + "-" + partition + "-" + sequence, destination, partition, sequence,
                payload, Map.of(), Optional.empty(), "alice", T0, Optional.empty());
    }

    static LogOp.Append append(String destination, long sequence, String... subscriptions) {
        return new LogOp.Append(message(destination, 0, sequence, ("m" + sequence).getBytes(StandardCharsets.UTF_8)),
                List.of(subscriptions));
    }

    /** Everything a store gives back at recovery. */
    static final class Recovered implements RecoveryVisitor {
        final List<DestinationRecord> destinations = new ArrayList<>();
        final List<SubscriptionRecord> subscriptions = new ArrayList<>();
        final List<RecoveredMessage> messages = new ArrayList<>();

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

        List<Long> sequences() {
            return messages.stream().map(m -> m.message().sequence()).toList();
        }
    }

    static Recovered recover(MessageStore store) {
        Recovered r = new Recovered();
        store.recover(r);
        return r;
    }
}
