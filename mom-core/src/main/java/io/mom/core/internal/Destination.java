package io.mom.core.internal;

import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.ErrorCode;
import io.mom.core.Message;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Overflow;
import io.mom.core.PublishResult;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue or topic: its partitions' sequence counters, its subscriptions, its dedup window and the
 * store operations decided while its lock is held.
 *
 * <p>Threading: one lock per destination guards all of its state and that of its subscriptions and
 * consumers. Store writes are issued with the lock held, so the store sees them in decision order.
 * No code holds two destination locks at once.
 */
final class Destination {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    final CoreBroker broker;
    final DestinationRecord record;
    final ReentrantLock lock = new ReentrantLock();
    private final DestinationRef ref;
    private final long[] nextSequence;
    private int nextPartition;
    private final TreeMap<String, Subscription> subscriptions = new TreeMap<>();
    private final DedupWindow dedup;
    /** Stored order of entries, kept only where the oldest must be found (drop-oldest overflow). */
    private final ArrayDeque<Entry> log;
    private long depth;
    boolean deleted;
    private List<LogOp> durableOps = new ArrayList<>(4);
    /** Snapshot of the subscriptions a new message goes to; rebuilt when they change. */
    private List<Subscription> targets;
    private List<String> targetNames;
    private List<LogOp> lazyOps = new ArrayList<>(4);

    Destination(CoreBroker broker, DestinationRecord record) {
        this.broker = broker;
        this.record = record;
        this.ref = new DestinationRef(record.type(), record.name());
        this.nextSequence = new long[record.options().partitions()];
        this.dedup = new DedupWindow(broker.dedupWindowMs);
        DestinationOptions o = record.options();
        this.log = o.maxLength().isPresent() && o.overflow() == Overflow.DROP_OLDEST ? new ArrayDeque<>() : null;
    }

    String name() {
        return record.name();
    }

    DestinationRef ref() {
        return ref;
    }

    DestinationOptions options() {
        return record.options();
    }

    boolean isDeadLetterQueue() {
        return Names.isDeadLetter(record.name());
    }

    /** Guarded by the lock. Read-only: change subscriptions with {@link #addSubscription} and {@link #removeSubscription}. */
    Map<String, Subscription> subscriptions() {
        return java.util.Collections.unmodifiableMap(subscriptions);
    }

    void addSubscription(Subscription s) {
        subscriptions.put(s.name(), s);
        targets = null;
    }

    void removeSubscription(Subscription s) {
        subscriptions.remove(s.name(), s);
        targets = null;
    }

    private List<Subscription> targets() {
        if (targets == null) {
            targets = List.copyOf(subscriptions.values());
            targetNames = targets.stream().map(Subscription::name).toList();
        }
        return targets;
    }

    DestinationInfo info() {
        lock.lock();
        try {
            long inFlight = 0;
            int consumers = 0;
            for (Subscription s : subscriptions.values()) {
                inFlight += s.inFlightCount();
                consumers += s.consumerCount();
            }
            return new DestinationInfo(ref, record.owner(), record.options(), record.createdAt(), depth, inFlight,
                    consumers, subscriptions.size());
        } finally {
            lock.unlock();
        }
    }

    /** Fails unless the destination still exists. Lock held. */
    void checkLive() {
        if (deleted) {
            throw new MomException(ErrorCode.GONE, ref + " was deleted");
        }
    }

    // ---- publishing (lock held) ----

    /**
     * Stores drafts: dedup, capacity, partition and sequence, then the store write. Returns the results,
     * completing when durable. Messages become visible to subscriptions once written.
     */
    CompletableFuture<List<PublishResult>> publish(List<Draft> drafts, Effects fx) {
        checkLive();
        long nowMs = broker.clock.millis();
        Instant now = Instant.ofEpochMilli(nowMs);
        int fresh = countFresh(drafts, nowMs);
        makeRoom(fresh);
        List<Subscription> targets = targets();
        List<String> names = this.targetNames;
        List<Entry> entries = new ArrayList<>(fresh);
        List<CompletableFuture<?>> waits = new ArrayList<>(0);
        List<PublishResult> results = new ArrayList<>(drafts.size());
        List<LogOp> ops = new ArrayList<>(fresh);
        CompletableFuture<PublishResult> outcome = new CompletableFuture<>();
        long bytes = 0;
        for (Draft d : drafts) {
            String producerId = d.producerId().orElse(null);
            CompletableFuture<PublishResult> earlier = producerId == null ? null : dedup.find(producerId, nowMs);
            if (earlier != null || (producerId != null && containsId(results, producerId))) {
                results.add(new PublishResult(producerId, true));
                if (earlier != null && earlier != outcome && !earlier.isDone()) {
                    waits.add(earlier);
                }
                continue;
            }
            Message m = newMessage(d, now);
            results.add(new PublishResult(m.id(), false));
            bytes += m.payload().length;
            if (producerId != null) {
                dedup.remember(producerId, nowMs, outcome);
            }
            if (targets.isEmpty()) {
                continue; // a topic without subscriptions keeps nothing
            }
            Entry e = new Entry(m, targets.size());
            entries.add(e);
            depth++;
            ops.add(new LogOp.Append(m, names));
        }
        broker.events.published(name(), results.size(), bytes);
        CompletableFuture<Void> written = ops.isEmpty() ? DONE : broker.write(this, ops);
        if (written.isDone() && !written.isCompletedExceptionally()) {
            visible(entries, targets, fx);
        } else {
            written.whenComplete((v, error) -> afterWrite(entries, targets, drafts, error));
        }
        CompletableFuture<?> all = waits.isEmpty() ? written
                : CompletableFuture.allOf(written, CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)));
        all.whenComplete((v, error) -> {
            if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                outcome.complete(null);
            }
        });
        return outcome.thenApply(v -> results);
    }

    private static boolean containsId(List<PublishResult> results, String id) {
        for (PublishResult r : results) {
            if (r.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private int countFresh(List<Draft> drafts, long nowMs) {
        int fresh = 0;
        for (Draft d : drafts) {
            if (d.producerId().isEmpty() || dedup.find(d.producerId().get(), nowMs) == null) {
                fresh++;
            }
        }
        return fresh;
    }

    private Message newMessage(Draft d, Instant now) {
        int partition = partitionFor(d.key());
        long sequence = nextSequence[partition]++;
        String id = d.keepId().or(d::producerId).orElseGet(broker.ids::newId);
        Optional<Instant> expiresAt = d.expiresAt();
        if (expiresAt.isEmpty() && record.options().ttl().isPresent()) {
            expiresAt = Optional.of(now.plus(record.options().ttl().get()));
        }
        return new Message(id, name(), partition, sequence, d.payload(), d.headers(), d.key(), d.sender(),
                d.publishedAt().orElse(now), expiresAt);
    }

    private int partitionFor(Optional<String> key) {
        int n = nextSequence.length;
        if (n == 1) {
            return 0;
        }
        if (key.isPresent()) {
            return Math.floorMod(key.get().hashCode(), n);
        }
        int p = nextPartition;
        nextPartition = (p + 1) % n;
        return p;
    }

    /** Enforces max length before anything changes: reject, or drop the oldest idle messages. */
    private void makeRoom(int incoming) {
        Optional<Long> max = record.options().maxLength();
        if (max.isEmpty() || depth + incoming <= max.get()) {
            return;
        }
        if (incoming > max.get() || log == null) {
            throw new MomException(ErrorCode.QUEUE_FULL, ref + " is full (maxLength " + max.get() + ")");
        }
        long excess = depth + incoming - max.get();
        List<Entry> victims = new ArrayList<>();
        for (Entry e : log) {
            if (victims.size() == excess) {
                break;
            }
            if (!e.removed && e.inFlight == 0) {
                victims.add(e);
            }
        }
        if (victims.size() < excess) {
            throw new MomException(ErrorCode.QUEUE_FULL, ref + " is full and its oldest messages are in flight");
        }
        for (Entry e : victims) {
            for (Subscription s : subscriptions.values()) {
                s.discard(e);
            }
            remove(e, true);
        }
        broker.events.dropped(name(), victims.size());
    }

    private void afterWrite(List<Entry> entries, List<Subscription> targets, List<Draft> drafts, Throwable error) {
        Effects fx = new Effects();
        lock.lock();
        try {
            if (error == null) {
                visible(entries, targets, fx);
            } else {
                depth -= entries.size();
                drafts.forEach(d -> d.producerId().ifPresent(dedup::forget));
            }
            commit();
        } finally {
            lock.unlock();
        }
        fx.run(broker);
    }

    private void visible(List<Entry> entries, List<Subscription> targets, Effects fx) {
        if (entries.isEmpty()) {
            return;
        }
        for (Entry e : entries) {
            broker.admit(e);
        }
        if (log != null) {
            log.addAll(entries);
        }
        long nowMs = broker.clock.millis();
        for (Subscription s : targets) {
            boolean live = !deleted && subscriptions.get(s.name()) == s;
            for (Entry e : entries) {
                if (live) {
                    s.enqueue(e);
                } else {
                    done(e, s, false);
                }
            }
            if (live) {
                s.dispatch(fx, nowMs);
            }
        }
    }

    // ---- bookkeeping (lock held) ----

    /** A subscription is done with an entry: ack it there, or remove it when no subscription needs it. */
    void done(Entry e, Subscription s, boolean durable) {
        if (e.removed) {
            return;
        }
        if (--e.pendingSubscriptions <= 0) {
            remove(e, durable);
        } else {
            (durable ? durableOps : lazyOps).add(new LogOp.Ack(name(), s.name(), e.message.partition(),
                    e.message.sequence()));
        }
    }

    private void remove(Entry e, boolean durable) {
        e.removed = true;
        depth--;
        broker.release(e);
        (durable ? durableOps : lazyOps).add(new LogOp.Remove(name(), e.message.partition(), e.message.sequence()));
        if (log != null) {
            while (!log.isEmpty() && log.peekFirst().removed) {
                log.pollFirst();
            }
        }
    }

    void expire(Entry e, Subscription s) {
        broker.events.expired(name(), 1);
        done(e, s, false);
    }

    void lazy(LogOp op) {
        lazyOps.add(op);
    }

    void durable(LogOp op) {
        durableOps.add(op);
    }

    /** Writes the operations decided under the lock; the future completes when the durable ones are. */
    CompletableFuture<Void> commit() {
        if (!lazyOps.isEmpty()) {
            List<LogOp> ops = lazyOps;
            lazyOps = new ArrayList<>(4);
            broker.writeLazily(ops);
        }
        if (durableOps.isEmpty()) {
            return DONE;
        }
        List<LogOp> ops = durableOps;
        durableOps = new ArrayList<>(4);
        return broker.write(this, ops);
    }

    // ---- recovery (single-threaded, before start completes) ----

    void recover(Message m, List<Subscription> pendingIn, List<Integer> deliveries) {
        Entry e = new Entry(m, pendingIn.size());
        broker.admit(e);
        depth++;
        nextSequence[m.partition()] = Math.max(nextSequence[m.partition()], m.sequence() + 1);
        if (log != null) {
            log.add(e);
        }
        for (int i = 0; i < pendingIn.size(); i++) {
            int count = deliveries.get(i);
            if (count == 0) {
                pendingIn.get(i).enqueue(e);
            } else {
                pendingIn.get(i).enqueueRetry(e, count);
            }
        }
    }

    void rememberRecovered(String id, long publishedAtMs, long nowMs) {
        if (publishedAtMs + broker.dedupWindowMs > nowMs) {
            dedup.remember(id, publishedAtMs, CompletableFuture.completedFuture(new PublishResult(id, true)));
        }
    }

    /** Periodic work: lease expiry, TTL at the head of queues, dedup window. */
    void sweep(long nowMs, Effects fx) {
        dedup.purge(nowMs);
        for (Subscription s : subscriptions.values()) {
            s.expireLeases(nowMs, fx);
            s.expireReady(nowMs);
            s.dispatch(fx, nowMs);
        }
    }

    boolean isType(DestinationType type) {
        return record.type() == type;
    }
}
