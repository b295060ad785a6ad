package io.mom.client;

import java.time.Duration;

/**
 * Observes a push subscription's connection. Every method has a no-op default, so implement only
 * what you need. Methods are called from the subscription's own thread and must not block for long.
 */
public interface SubscriptionListener {

    /** A listener that does nothing. */
    SubscriptionListener NONE = new SubscriptionListener() {
    };

    /** The stream is open (first connection, then after every reconnect). */
    default void onConnected(Source source) {
    }

    /**
     * The stream was lost (network failure, server restart, or the server ended it); the client
     * reconnects after {@code retryIn}.
     */
    default void onDisconnected(Source source, Throwable cause, Duration retryIn) {
    }

    /** The handler threw on a message; the message was nacked for redelivery unless already settled. */
    default void onHandlerError(Message message, RuntimeException error) {
    }

    /** The subscription ended; no callback follows. */
    default void onClosed(Source source, CloseReason reason) {
    }
}
