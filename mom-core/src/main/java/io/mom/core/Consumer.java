package io.mom.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A live push attachment to a subscription. Thread-safe. Closing it redelivers its unacked
 * deliveries to the other consumers of the subscription.
 */
public interface Consumer extends AutoCloseable {
    /** Broker-unique id of this consumer. */
    long id();

    SubscriptionRef subscription();

    /** Adds credit ({@link FlowControl#CREDIT}) or widens the window ({@link FlowControl#WINDOW}). */
    void grant(int credits);

    /** Acknowledges receipts of this subscription; same as {@link Broker#ack}. */
    CompletableFuture<AckResult> ack(List<String> receipts);

    boolean isOpen();

    /** Idempotent; the listener gets {@link CloseReason#CLOSED} if it was open. */
    @Override
    void close();
}
