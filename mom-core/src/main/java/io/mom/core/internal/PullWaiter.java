package io.mom.core.internal;

import io.mom.core.AckMode;
import io.mom.core.Delivery;
import io.mom.core.Identity;
import io.mom.core.NackMode;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.Scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pull that waits for messages. It collects deliveries under the destination lock and completes
 * its future (outside the lock) once it has at least one, or when its wait ends.
 */
final class PullWaiter implements Attachment {
    private final int max;
    private final long maxBytes;
    private final AckMode ackMode;
    final CompletableFuture<List<Delivery>> future = new CompletableFuture<>();
    final List<Delivery> deliveries = new ArrayList<>();
    private long bytes;
    Scheduler.Cancellable timer;

    PullWaiter(int max, long maxBytes, AckMode ackMode) {
        this.max = max;
        this.maxBytes = maxBytes;
        this.ackMode = ackMode;
    }

    @Override
    public AckMode ackMode() {
        return ackMode;
    }

    @Override
    public boolean canTake(long size) {
        // The first message always fits, so that one oversized message cannot block a pull forever.
        return deliveries.size() < max && (deliveries.isEmpty() || bytes + size <= maxBytes);
    }

    @Override
    public void take(Delivery delivery, long size, Effects effects) {
        deliveries.add(delivery);
        bytes += size;
    }

    boolean hasDeliveries() {
        return !deliveries.isEmpty();
    }

    /**
     * Starts waiting (it is attached to {@code s}): it times out after {@code wait}, and a cancelled
     * future stops the wait ({@link #cancelled}), handing back what it took as a requeue.
     */
    void await(CoreBroker broker, Destination d, Subscription s, java.time.Duration wait, Identity caller,
               SubscriptionRef ref) {
        timer = broker.scheduler.schedule(() -> timedOut(d, s), wait);
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                cancelled(d, s, taken -> {
                    if (broker.isRunning()) {
                        broker.nack(caller, ref, taken, NackMode.REQUEUE);
                    }
                });
            }
        });
    }

    /** Its wait ran out: it answers empty unless it was served meanwhile. */
    void timedOut(Destination d, Subscription s) {
        boolean detached;
        d.lock.lock();
        try {
            detached = s.detach(this);
        } finally {
            d.lock.unlock();
        }
        if (detached) {
            future.complete(List.of());
        }
    }

    /**
     * Its future was cancelled (its client went away, or a cluster node no longer needs it): it stops
     * waiting. If it had already taken client-ack deliveries in the instant before, their receipts go
     * to {@code handBack} (a requeue) instead of staying leased to nobody until the ack timeout.
     */
    void cancelled(Destination d, Subscription s, java.util.function.Consumer<List<String>> handBack) {
        boolean detached;
        List<String> taken;
        d.lock.lock();
        try {
            detached = s.detach(this);
            taken = detached ? List.of() : deliveries.stream().flatMap(x -> x.receipt().stream()).toList();
        } finally {
            d.lock.unlock();
        }
        if (detached && timer != null) {
            timer.cancel();
        }
        if (!taken.isEmpty()) {
            handBack.accept(taken);
        }
    }
}
