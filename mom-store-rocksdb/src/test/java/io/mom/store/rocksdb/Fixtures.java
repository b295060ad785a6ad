package io.mom.store.rocksdb;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;
import io.mom.core.SubscriptionOptions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Records and a recovery visitor shared by the adapter's tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    static DestinationRecord queue(String name) {
        return new DestinationRecord(DestinationType.QUEUE, name, "alice", DestinationOptions.DEFAULTS, T0);
    }

    static DestinationRecord topic(String name) {
        return new DestinationRecord(DestinationType.TOPIC, name, "bob", DestinationOptions.DEFAULTS, T0);
    }

    static SubscriptionRecord subscription(String topic, String name) {
        return new SubscriptionRecord(topic, name, "carol", SubscriptionOptions.DEFAULTS, T0);
    }

    static Message message(String destination, int partition, long sequence, String text) {
        return new Message("id-" + destination + "-" + partition + "-" + sequence, destination, partition, sequence,
                text.getBytes(StandardCharsets.UTF_8), Map.of(), Optional.empty(), "alice", T0, Optional.empty());
    }

    static void await(CompletableFuture<Void> f) throws Exception {
        f.get(30, TimeUnit.SECONDS);
    }

    /** What a recovery saw, in order. */
    static final class Recorded implements RecoveryVisitor {
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

        /** "destination/partition/sequence" of each message, in recovery order. */
        List<String> positions() {
            List<String> out = new ArrayList<>();
            for (RecoveredMessage m : messages) {
                out.add(m.message().destination() + "/" + m.message().partition() + "/" + m.message().sequence());
            }
            return out;
        }

        Map<String, Integer> pendingOf(String position) {
            for (RecoveredMessage m : messages) {
                Message msg = m.message();
                if ((msg.destination() + "/" + msg.partition() + "/" + msg.sequence()).equals(position)) {
                    return m.pending();
                }
            }
            throw new AssertionError("no message at " + position + " in " + positions());
        }
    }

    static Recorded recover(RocksDbStorage storage) {
        Recorded r = new Recorded();
        storage.messageStore().recover(r);
        return r;
    }
}
