package io.mom.server;

import io.mom.core.CloseReason;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Hands every broker event to several listeners in order (metrics, then logs). A listener that throws
 * is logged and skipped, so the others and the broker are unaffected. Thread-safe if the listeners are.
 */
final class CompositeBrokerEvents implements BrokerEvents {
    private static final Logger log = LoggerFactory.getLogger(CompositeBrokerEvents.class);

    private final List<BrokerEvents> listeners;

    CompositeBrokerEvents(List<BrokerEvents> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(Consumer<BrokerEvents> call) {
        for (BrokerEvents l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("event=events_listener_failed listener={} error={}", l.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }

    @Override
    public void destinationCreated(DestinationRef destination, String owner) {
        each(l -> l.destinationCreated(destination, owner));
    }

    @Override
    public void destinationDeleted(DestinationRef destination, String by) {
        each(l -> l.destinationDeleted(destination, by));
    }

    @Override
    public void subscriptionCreated(SubscriptionRef subscription, String owner) {
        each(l -> l.subscriptionCreated(subscription, owner));
    }

    @Override
    public void subscriptionDeleted(SubscriptionRef subscription, String by) {
        each(l -> l.subscriptionDeleted(subscription, by));
    }

    @Override
    public void published(String destination, int count, long bytes) {
        each(l -> l.published(destination, count, bytes));
    }

    @Override
    public void delivered(SubscriptionRef subscription, int count) {
        each(l -> l.delivered(subscription, count));
    }

    @Override
    public void acked(SubscriptionRef subscription, int count) {
        each(l -> l.acked(subscription, count));
    }

    @Override
    public void redelivered(SubscriptionRef subscription, int count) {
        each(l -> l.redelivered(subscription, count));
    }

    @Override
    public void deadLettered(SubscriptionRef subscription, String deadLetterQueue, int count) {
        each(l -> l.deadLettered(subscription, deadLetterQueue, count));
    }

    @Override
    public void expired(String destination, int count) {
        each(l -> l.expired(destination, count));
    }

    @Override
    public void dropped(String destination, int count) {
        each(l -> l.dropped(destination, count));
    }

    @Override
    public void consumerAttached(SubscriptionRef subscription, long consumerId) {
        each(l -> l.consumerAttached(subscription, consumerId));
    }

    @Override
    public void consumerDetached(SubscriptionRef subscription, long consumerId, CloseReason reason) {
        each(l -> l.consumerDetached(subscription, consumerId, reason));
    }

    @Override
    public void storeCommitted(int operations, long nanos) {
        each(l -> l.storeCommitted(operations, nanos));
    }

    @Override
    public void replicationLag(String destination, int partition, long operations) {
        each(l -> l.replicationLag(destination, partition, operations));
    }
}
