package io.mom.core;

/**
 * Receives the deliveries of a push consumer.
 *
 * <p>Threading: calls for one consumer never overlap and arrive in delivery order, but may come from
 * any broker or producer thread. Implementations must not block: a transport hands the delivery to
 * its own buffers (bounded by the consumer's window) and returns. An exception thrown by
 * {@link #onDelivery} closes the consumer; its unacked deliveries are redelivered.
 */
public interface DeliveryListener {
    void onDelivery(Delivery delivery);

    /** Called once when the consumer ends, for the given reason; no delivery follows. */
    default void onClosed(CloseReason reason) {
    }
}
