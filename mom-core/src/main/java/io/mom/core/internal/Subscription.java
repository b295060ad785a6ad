package io.mom.core.internal;

import io.mom.core.AckMode;
import io.mom.core.CloseReason;
import io.mom.core.Delivery;
import io.mom.core.Message;
import io.mom.core.NackMode;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.LogOp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The dispatch state of one subscription: messages ready for delivery, redeliveries, deliveries in
 * flight, and the attached consumers served round-robin. Everything here is guarded by the owning
 * destination's lock; the methods assume it is held.
 */
final class Subscription {
    final Destination destination;
    final SubscriptionRef ref;
    final String owner;
    final SubscriptionOptions options;
    final Instant createdAt;
    private final long ackTimeoutMs;
    private final int maxDeliveries;

    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final ArrayDeque<Retry> retries = new ArrayDeque<>();
    /** In delivery order, which is lease-deadline order since the ack timeout is fixed. */
    private final LinkedHashMap<Long, InFlight> inFlight = new LinkedHashMap<>();
    private final List<Attachment> attachments = new ArrayList<>(2);
    private int nextAttachment;
    private long nextTag;
    /** Messages moving to the dead-letter queue: still pending here until the move is durable. */
    private int movingToDeadLetters;

    Subscription(Destination destination, SubscriptionRef ref, String owner, SubscriptionOptions options,
                 Instant createdAt) {
        this.destination = destination;
        this.ref = ref;
        this.owner = owner;
        this.options = options;
        this.createdAt = createdAt;
        this.ackTimeoutMs = options.ackTimeout().orElse(destination.options().ackTimeout()).toMillis();
        this.maxDeliveries = options.maxDeliveries().orElse(destination.options().maxDeliveries());
    }

    String name() {
        return ref.subscription();
    }

    void enqueue(Entry entry) {
        ready.addLast(entry);
    }

    void enqueueRetry(Entry entry, int deliveries) {
        retries.addLast(new Retry(entry, deliveries));
    }

    long pending() {
        return ready.size() + retries.size() + inFlight.size() + movingToDeadLetters;
    }

    long inFlightCount() {
        return inFlight.size();
    }

    int consumerCount() {
        return attachments.size();
    }

    boolean hasReady() {
        return !ready.isEmpty() || !retries.isEmpty();
    }

    SubscriptionInfo info() {
        return new SubscriptionInfo(ref, owner, options, createdAt, pending(), inFlight.size(), attachments.size());
    }

    void attach(Attachment attachment) {
        attachments.add(attachment);
    }

    /** Detaches a pull waiter that stops waiting. */
    boolean detach(PullWaiter waiter) {
        return attachments.remove(waiter);
    }

    /** Detaches a push consumer; its unacked deliveries count as delivered and go back for redelivery. */
    void detach(PushConsumer consumer, CloseReason reason, Effects fx) {
        if (!attachments.remove(consumer)) {
            return;
        }
        consumer.markClosed(reason, fx);
        if (reason == CloseReason.DELETED || reason == CloseReason.UNSUBSCRIBED) {
            return;
        }
        Iterator<InFlight> it = inFlight.values().iterator();
        while (it.hasNext()) {
            InFlight f = it.next();
            if (f.consumer() == consumer) {
                it.remove();
                f.entry().inFlight--;
                redeliverOrDeadLetter(f.entry(), f.deliveries(), fx);
            }
        }
    }

    /** Hands ready messages to consumers with room, round-robin, then completes served pulls. */
    void dispatch(Effects fx, long nowMs) {
        if (attachments.isEmpty()) {
            return;
        }
        boolean servedPull = false;
        while (hasReady()) {
            Entry entry;
            int prior;
            Retry retry = retries.peekFirst();
            entry = retry != null ? retry.entry() : ready.peekFirst();
            if (entry.removed) {
                pollNext(retry);
                continue;
            }
            if (entry.message.expiresAt().isPresent() && entry.message.expiresAt().get().toEpochMilli() <= nowMs) {
                pollNext(retry);
                destination.expire(entry, this);
                continue;
            }
            Attachment target = nextWithRoom(entry.size());
            if (target == null) {
                break;
            }
            pollNext(retry);
            prior = retry != null ? retry.deliveries() : 0;
            deliver(target, entry, prior + 1, fx, nowMs);
            servedPull |= target instanceof PullWaiter;
        }
        if (servedPull) {
            completeServedPulls(fx);
        }
    }

    private void pollNext(Retry retry) {
        if (retry != null) {
            retries.pollFirst();
        } else {
            ready.pollFirst();
        }
    }

    private Attachment nextWithRoom(long bytes) {
        int n = attachments.size();
        for (int i = 0; i < n; i++) {
            int index = (nextAttachment + i) % n;
            Attachment a = attachments.get(index);
            if (a.canTake(bytes)) {
                nextAttachment = (index + 1) % n;
                return a;
            }
        }
        return null;
    }

    private void completeServedPulls(Effects fx) {
        Iterator<Attachment> it = attachments.iterator();
        while (it.hasNext()) {
            if (it.next() instanceof PullWaiter w && w.hasDeliveries()) {
                it.remove();
                fx.complete(w);
            }
        }
        if (nextAttachment >= attachments.size()) {
            nextAttachment = 0;
        }
    }

    /** Serves a pull at once from ready messages (no waiting); returns what it took. */
    void serveNow(PullWaiter waiter, Effects fx, long nowMs) {
        attachments.add(0, waiter);
        int saved = nextAttachment;
        nextAttachment = 0;
        dispatch(fx, nowMs);
        if (attachments.remove(waiter)) {
            nextAttachment = saved % Math.max(1, attachments.size());
        }
    }

    private void deliver(Attachment target, Entry entry, int deliveries, Effects fx, long nowMs) {
        Delivery delivery;
        Message message = destination.broker.loaded(entry);
        if (target.ackMode() == AckMode.CLIENT) {
            long tag = ++nextTag;
            PushConsumer consumer = target instanceof PushConsumer p ? p : null;
            inFlight.put(tag, new InFlight(tag, entry, consumer, deliveries, nowMs + ackTimeoutMs));
            entry.inFlight++;
            delivery = new Delivery(ref, message, deliveries,
                    Optional.of(destination.broker.receipts.encode(tag)));
            destination.lazy(new LogOp.DeliveryCount(destination.name(), name(), entry.message.partition(),
                    entry.message.sequence(), deliveries));
        } else {
            delivery = new Delivery(ref, message, deliveries, Optional.empty());
            destination.done(entry, this, false);
        }
        target.take(delivery, entry.size(), fx);
        destination.broker.events.delivered(ref, 1);
        if (deliveries > 1) {
            destination.broker.events.redelivered(ref, 1);
        }
    }

    /** Applies acks; returns the receipts not applied. The store ops are collected by the destination. */
    List<String> ack(List<String> receipts) {
        List<String> invalid = List.of();
        int applied = 0;
        for (String receipt : receipts) {
            InFlight f = take(receipt);
            if (f == null) {
                invalid = add(invalid, receipt);
                continue;
            }
            applied++;
            destination.done(f.entry(), this, true);
        }
        if (applied > 0) {
            destination.broker.events.acked(ref, applied);
        }
        return invalid;
    }

    List<String> nack(List<String> receipts, NackMode mode, Effects fx) {
        List<String> invalid = List.of();
        for (String receipt : receipts) {
            InFlight f = take(receipt);
            if (f == null) {
                invalid = add(invalid, receipt);
            } else if (mode == NackMode.DEAD_LETTER && !destination.isDeadLetterQueue()) {
                deadLetter(f.entry(), f.deliveries(), fx);
            } else {
                redeliverOrDeadLetter(f.entry(), f.deliveries(), fx);
            }
        }
        return invalid;
    }

    private InFlight take(String receipt) {
        long tag = destination.broker.receipts.decode(receipt);
        InFlight f = tag < 0 ? null : inFlight.remove(tag);
        if (f != null) {
            f.entry().inFlight--;
            if (f.consumer() != null) {
                f.consumer().released();
            }
        }
        return f;
    }

    private static List<String> add(List<String> list, String value) {
        List<String> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(value);
        return out;
    }

    /** Redelivers deliveries whose lease ended before {@code nowMs}. */
    void expireLeases(long nowMs, Effects fx) {
        Iterator<InFlight> it = inFlight.values().iterator();
        while (it.hasNext()) {
            InFlight f = it.next();
            if (f.deadlineMs() > nowMs) {
                break;
            }
            it.remove();
            f.entry().inFlight--;
            if (f.consumer() != null) {
                f.consumer().released();
            }
            redeliverOrDeadLetter(f.entry(), f.deliveries(), fx);
        }
    }

    /** Drops expired messages waiting at the head of the ready queue. */
    void expireReady(long nowMs) {
        Entry head;
        while ((head = ready.peekFirst()) != null
                && (head.removed || head.message.expiresAt().isPresent()
                && head.message.expiresAt().get().toEpochMilli() <= nowMs)) {
            ready.pollFirst();
            if (!head.removed) {
                destination.expire(head, this);
            }
        }
    }

    private void redeliverOrDeadLetter(Entry entry, int deliveries, Effects fx) {
        if (deliveries >= maxDeliveries && !destination.isDeadLetterQueue()) {
            deadLetter(entry, deliveries, fx);
        } else {
            retries.addLast(new Retry(entry, deliveries));
        }
    }

    private void deadLetter(Entry entry, int deliveries, Effects fx) {
        movingToDeadLetters++;
        fx.deadLetter(this, entry, deliveries);
    }

    /** The dead-letter move of an entry finished (moved true) or failed (moved false). */
    void deadLetterDone(Entry entry, int deliveries, boolean moved) {
        movingToDeadLetters--;
        if (moved) {
            destination.done(entry, this, true);
        } else {
            retries.addLast(new Retry(entry, deliveries));
        }
    }

    /** Removes a dropped message from the ready queues (it is not in flight). */
    void discard(Entry entry) {
        if (!ready.removeFirstOccurrence(entry)) {
            retries.removeIf(r -> r.entry() == entry);
        }
    }

    /** Everything still pending here, for release on unsubscribe or transfer on delete. */
    List<Entry> pendingEntries() {
        List<Entry> all = new ArrayList<>(ready.size() + retries.size() + inFlight.size());
        all.addAll(ready);
        retries.forEach(r -> all.add(r.entry()));
        inFlight.values().forEach(f -> all.add(f.entry()));
        return all;
    }

    /** Detaches everything: consumers get {@code reason}, waiting pulls get {@code pullOutcome}. */
    void closeAll(CloseReason reason, Effects fx, java.util.function.Consumer<PullWaiter> pullOutcome) {
        for (Attachment a : List.copyOf(attachments)) {
            if (a instanceof PushConsumer p) {
                detach(p, reason, fx);
            } else if (a instanceof PullWaiter w) {
                attachments.remove(w);
                pullOutcome.accept(w);
            }
        }
    }
}
