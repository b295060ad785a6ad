package io.mom.core.internal;

import io.mom.core.AckMode;
import io.mom.core.Delivery;
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
}
