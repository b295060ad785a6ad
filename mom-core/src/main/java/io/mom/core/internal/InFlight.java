package io.mom.core.internal;

/**
 * A delivery awaiting its ack. Guarded by the destination lock.
 *
 * @param tag        delivery tag (unique per subscription, never reused)
 * @param entry      the message
 * @param consumer   who holds it (a push consumer, or null for a pull)
 * @param deliveries delivery count of this delivery
 * @param deadlineMs lease end, in clock milliseconds
 */
record InFlight(long tag, Entry entry, PushConsumer consumer, int deliveries, long deadlineMs) {
}
