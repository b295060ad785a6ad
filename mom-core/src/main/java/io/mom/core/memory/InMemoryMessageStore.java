package io.mom.core.memory;

import io.mom.core.Message;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MessageStore} in the heap. Nothing survives the JVM; within it, the same instance can be
 * recovered again (tests use this to simulate a restart). Thread-safe: each write is applied
 * atomically under the store's monitor and completes at once.
 */
public final class InMemoryMessageStore implements MessageStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Key(String destination, int partition, long sequence) {
    }

    private static final class Stored {
        final Message message;
        final Map<String, Integer> pending;

        Stored(Message message, List<String> subscriptions) {
            this.message = message;
            this.pending = new HashMap<>(subscriptions.size() * 2);
            subscriptions.forEach(s -> pending.put(s, 0));
        }
    }

    private final Map<String, DestinationRecord> destinations = new HashMap<>();
    private final Map<String, SubscriptionRecord> subscriptions = new HashMap<>();
    private final ConcurrentHashMap<Key, Stored> messages = new ConcurrentHashMap<>();

    @Override
    public synchronized void recover(RecoveryVisitor visitor) {
        destinations.values().stream().sorted(Comparator.comparing(DestinationRecord::name))
                .forEach(visitor::destination);
        subscriptions.values().stream()
                .sorted(Comparator.comparing(SubscriptionRecord::topic).thenComparing(SubscriptionRecord::name))
                .forEach(visitor::subscription);
        List<Map.Entry<Key, Stored>> all = new ArrayList<>(messages.entrySet());
        all.sort(Map.Entry.comparingByKey(Comparator.comparing(Key::destination).thenComparingInt(Key::partition)
                .thenComparingLong(Key::sequence)));
        for (Map.Entry<Key, Stored> e : all) {
            visitor.message(new RecoveredMessage(e.getValue().message, e.getValue().pending));
        }
    }

    @Override
    public CompletableFuture<Void> write(List<LogOp> ops) {
        synchronized (this) {
            for (LogOp op : ops) {
                apply(op);
            }
        }
        return DONE;
    }

    private void apply(LogOp op) {
        if (op instanceof LogOp.Append a) {
            messages.put(key(a.message()), new Stored(a.message(), a.subscriptions()));
        } else if (op instanceof LogOp.Remove r) {
            messages.remove(new Key(r.destination(), r.partition(), r.sequence()));
        } else if (op instanceof LogOp.Ack a) {
            Key k = new Key(a.destination(), a.partition(), a.sequence());
            Stored s = messages.get(k);
            if (s != null) {
                s.pending.remove(a.subscription());
                if (s.pending.isEmpty()) {
                    messages.remove(k);
                }
            }
        } else if (op instanceof LogOp.DeliveryCount c) {
            Stored s = messages.get(new Key(c.destination(), c.partition(), c.sequence()));
            if (s != null) {
                s.pending.computeIfPresent(c.subscription(), (k, v) -> Math.max(v, c.count()));
            }
        } else if (op instanceof LogOp.PutDestination p) {
            destinations.put(p.destination().name(), p.destination());
        } else if (op instanceof LogOp.DeleteDestination d) {
            destinations.remove(d.name());
            subscriptions.values().removeIf(s -> s.topic().equals(d.name()));
            messages.keySet().removeIf(k -> k.destination().equals(d.name()));
        } else if (op instanceof LogOp.PutSubscription p) {
            subscriptions.put(p.subscription().topic() + "/" + p.subscription().name(), p.subscription());
        } else if (op instanceof LogOp.DeleteSubscription d) {
            subscriptions.remove(d.topic() + "/" + d.subscription());
            String name = d.subscription();
            messages.entrySet().removeIf(e -> e.getKey().destination().equals(d.topic())
                    && e.getValue().pending.remove(name) != null && e.getValue().pending.isEmpty());
        }
    }

    private static Key key(Message m) {
        return new Key(m.destination(), m.partition(), m.sequence());
    }

    @Override
    public Optional<byte[]> readPayload(String destination, int partition, long sequence) {
        Stored s = messages.get(new Key(destination, partition, sequence));
        return Optional.ofNullable(s).map(x -> x.message.payload());
    }

    /** Messages currently stored (for tests and diagnostics). */
    public int messageCount() {
        return messages.size();
    }

    @Override
    public void close() {
        // Nothing to release; the data stays for a later recover() of this instance.
    }
}
