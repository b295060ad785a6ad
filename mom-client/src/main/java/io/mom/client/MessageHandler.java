package io.mom.client;

/**
 * Receives the messages of a push subscription ({@link MomClient#subscribe}).
 *
 * <p>Threading: each subscription calls its handler from one thread of its own, in delivery order;
 * calls never overlap. A slow handler slows its own subscription only: the server stops sending when
 * {@code prefetch} deliveries are unacked. With {@link AckMode#CLIENT} the handler acks with
 * {@link Message#ack()} (from any thread, now or later). A handler that throws nacks the message for
 * redelivery (unless it was already acked or nacked) and the subscription goes on; the
 * {@link SubscriptionListener} is told.
 */
@FunctionalInterface
public interface MessageHandler {

    /** Handles one delivery. */
    void onMessage(Message message);

    /**
     * The destination or subscription was deleted; no message follows and the subscription is closed
     * with {@link CloseReason#DELETED}. Also called when a reconnect finds the source gone. Default: nothing.
     */
    default void onDeleted(Source source) {
    }
}
