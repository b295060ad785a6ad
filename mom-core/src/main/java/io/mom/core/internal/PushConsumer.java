package io.mom.core.internal;

import io.mom.core.AckMode;
import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.FlowControl;
import io.mom.core.Identity;
import io.mom.core.SubscriptionRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push consumer. Deliveries are chosen under the destination lock and queued in an outbox; the
 * listener is called outside the lock by whichever thread wins the drain, so calls for one consumer
 * never overlap and keep delivery order.
 *
 * <p>{@link #credit} and {@link #open} are guarded by the destination lock; the outbox is lock-free.
 */
final class PushConsumer implements Attachment, Consumer {
    private static final Logger log = LoggerFactory.getLogger(PushConsumer.class);

    private final long id;
    private final CoreBroker broker;
    private final Identity owner;
    final Subscription subscription;
    private final ConsumerOptions options;
    private final DeliveryListener listener;
    private final ConcurrentLinkedQueue<Delivery> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile CloseReason closeReason;
    private boolean closeSignalled;

    /** Deliveries it may still receive now. Guarded by the destination lock. */
    int credit;
    /** Guarded by the destination lock. */
    boolean open = true;

    PushConsumer(long id, CoreBroker broker, Identity owner, Subscription subscription, ConsumerOptions options,
                 DeliveryListener listener) {
        this.id = id;
        this.broker = broker;
        this.owner = owner;
        this.subscription = subscription;
        this.options = options;
        this.listener = listener;
        this.credit = options.prefetch();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SubscriptionRef subscription() {
        return subscription.ref;
    }

    @Override
    public AckMode ackMode() {
        return options.ackMode();
    }

    @Override
    public boolean canTake(long bytes) {
        return open && credit > 0;
    }

    @Override
    public void take(Delivery delivery, long bytes, Effects effects) {
        credit--;
        outbox.add(delivery);
        effects.drain(this);
    }

    /** An ack, nack or expiry freed one of its deliveries. Called under the destination lock. */
    void released() {
        if (options.flow() == FlowControl.WINDOW && options.ackMode() == AckMode.CLIENT) {
            credit++;
        }
    }

    @Override
    public void grant(int credits) {
        if (credits < 1) {
            throw io.mom.core.MomException.invalid("credits must be positive");
        }
        broker.grant(this, credits);
    }

    @Override
    public CompletableFuture<AckResult> ack(List<String> receipts) {
        return broker.ack(owner, subscription.ref, receipts);
    }

    @Override
    public boolean isOpen() {
        return closeReason == null;
    }

    @Override
    public void close() {
        broker.closeConsumer(this, CloseReason.CLOSED);
    }

    /** Marks it closed (under the destination lock); the listener hears of it at the next drain. */
    void markClosed(CloseReason reason, Effects effects) {
        open = false;
        if (closeReason == null) {
            closeReason = reason;
        }
        effects.drain(this);
    }

    /** Runs the listener for queued deliveries. Called outside any lock, from any thread. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            int handled = 0;
            Delivery d;
            while (closeReason == null && (d = outbox.poll()) != null) {
                try {
                    listener.onDelivery(d);
                    handled++;
                } catch (RuntimeException e) {
                    log.warn("event=consumer_failed subscription={} consumer={} error={}", subscription.ref, id,
                            e.toString());
                    broker.closeConsumer(this, CloseReason.FAILED);
                }
            }
            if (closeReason != null) {
                signalClosed();
            } else if (handled > 0 && options.ackMode() == AckMode.AUTO && options.flow() == FlowControl.WINDOW) {
                broker.grant(this, handled);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void signalClosed() {
        outbox.clear();
        if (!closeSignalled) {
            closeSignalled = true;
            try {
                listener.onClosed(closeReason);
            } catch (RuntimeException e) {
                log.warn("event=listener_close_failed consumer={} error={}", id, e.toString());
            }
        }
    }
}
