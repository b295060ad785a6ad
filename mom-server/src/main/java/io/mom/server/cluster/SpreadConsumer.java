package io.mom.server.cluster;

import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.FlowControl;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.SubscriptionRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A push consumer of a partitioned destination of a cluster: one consumer on every partition's
 * leader, merged into one stream for the client's listener (called by one thread at a time, never
 * while this object's monitor is held).
 *
 * <p><b>Flow control.</b> With {@link FlowControl#WINDOW} each partition runs the client's window,
 * so up to {@code partitions × prefetch} deliveries can be unacked at once (the window is per
 * partition, like a prefetch per queue). With {@link FlowControl#CREDIT} the client never gets more
 * deliveries than the credit it granted: each partition runs with the client's initial credit and
 * deliveries beyond the client's credit wait here (leased to this consumer) until it grants more;
 * a partition gets one credit back each time one of its deliveries reaches the client.
 *
 * <p>When one partition's consumer ends (its leader failed over, the destination was deleted), the
 * whole consumer ends with that reason and the client re-attaches; deliveries not acked come back.
 * An auto-ack consumer that ends while deliveries wait for credit loses them (auto-ack is at most once).
 * Thread-safe.
 */
final class SpreadConsumer implements Consumer {
    private final SubscriptionRef subscription;
    private final ConsumerOptions options;
    private final DeliveryListener listener;
    private final Function<List<String>, CompletableFuture<AckResult>> acks;
    private final List<Consumer> partitions = new ArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** Deliveries not yet handed to the listener, in arrival order. Guarded by this. */
    private final Deque<Held> waiting = new ArrayDeque<>();
    /** Credit the client granted and deliveries have not used (CREDIT only). Guarded by this. */
    private long credit;
    /** A thread is handing deliveries to the listener. Guarded by this. */
    private boolean draining;

    private record Held(int partition, Delivery delivery) {
    }

    private SpreadConsumer(SubscriptionRef subscription, ConsumerOptions options, DeliveryListener listener,
                           Function<List<String>, CompletableFuture<AckResult>> acks) {
        this.subscription = subscription;
        this.options = options;
        this.listener = listener;
        this.acks = acks;
        this.credit = options.prefetch();
    }

    /** Attaches to every partition; if one refuses, the others are closed again and the refusal is thrown. */
    static SpreadConsumer open(SubscriptionRef subscription, ConsumerOptions options, DeliveryListener listener,
                               int count, Function<List<String>, CompletableFuture<AckResult>> acks, Attach attach) {
        SpreadConsumer consumer = new SpreadConsumer(subscription, options, listener, acks);
        try {
            for (int p = 0; p < count; p++) {
                int partition = p;
                Consumer c = attach.open(partition, consumer.new PartitionListener(partition));
                synchronized (consumer) {
                    consumer.partitions.add(c);
                }
            }
        } catch (MomException e) {
            consumer.end(null);
            throw e;
        }
        return consumer;
    }

    /** Opens the consumer of one partition. */
    @FunctionalInterface
    interface Attach {
        Consumer open(int partition, DeliveryListener listener);
    }

    private final class PartitionListener implements DeliveryListener {
        private final int partition;

        PartitionListener(int partition) {
            this.partition = partition;
        }

        @Override
        public void onDelivery(Delivery delivery) {
            arrived(partition, Shards.toClient(delivery, subscription, partition));
        }

        @Override
        public void onClosed(CloseReason reason) {
            end(reason);
        }
    }

    private void arrived(int partition, Delivery delivery) {
        synchronized (this) {
            if (!open.get()) {
                return;
            }
            waiting.addLast(new Held(partition, delivery));
        }
        drain();
    }

    /**
     * Hands waiting deliveries to the listener while the flow control allows, one thread at a time and
     * never holding this object's monitor while calling out (the listener may grant credit from inside
     * {@code onDelivery}, and a partition's consumer may be delivering to this object meanwhile): a
     * thread finding another one draining leaves its deliveries to it.
     */
    private void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        boolean credited = options.flow() == FlowControl.CREDIT;
        while (true) {
            Held next;
            synchronized (this) {
                if (!open.get() || waiting.isEmpty() || credited && credit == 0) {
                    draining = false;
                    return;
                }
                next = waiting.pollFirst();
                if (credited) {
                    credit--;
                }
            }
            listener.onDelivery(next.delivery());
            if (credited) {
                partition(next.partition()).grant(1);
            }
        }
    }

    private synchronized Consumer partition(int p) {
        return partitions.get(p);
    }

    @Override
    public void grant(int credits) {
        if (credits <= 0 || !open.get()) {
            return;
        }
        if (options.flow() == FlowControl.WINDOW) {
            List<Consumer> all;
            synchronized (this) {
                all = List.copyOf(partitions);
            }
            all.forEach(c -> c.grant(credits));
            return;
        }
        synchronized (this) {
            credit = Math.min(Integer.MAX_VALUE, credit + credits);
        }
        drain();
    }

    @Override
    public CompletableFuture<AckResult> ack(List<String> receipts) {
        return acks.apply(receipts);
    }

    @Override
    public long id() {
        synchronized (this) {
            return partitions.isEmpty() ? 0 : partitions.get(0).id();
        }
    }

    @Override
    public SubscriptionRef subscription() {
        return subscription;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        end(CloseReason.CLOSED);
    }

    /** Ends every partition's consumer and tells the listener once ({@code null}: say nothing). */
    private void end(CloseReason reason) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        List<Consumer> all;
        synchronized (this) {
            all = List.copyOf(partitions);
            waiting.clear();
        }
        all.forEach(Consumer::close);
        if (reason != null) {
            listener.onClosed(reason);
        }
    }
}
