package io.mom.core.internal;

import io.mom.core.Message;

/**
 * One stored message inside the broker, shared by every subscription that still needs it.
 * Guarded by the owning {@link Destination}'s lock.
 */
final class Entry {
    /** The message; without its payload while {@link #paged}. */
    Message message;
    /** Payload size, whether or not the payload is in memory. */
    final int size;
    /** True when the payload was left in the store to stay within the memory budget. */
    boolean paged;
    /** Subscriptions that have not acked it yet. */
    int pendingSubscriptions;
    /** Deliveries of it currently awaiting an ack, over all subscriptions. */
    int inFlight;
    /** True once every subscription is done with it (or it was dropped). */
    boolean removed;

    Entry(Message message, int pendingSubscriptions) {
        this.message = message;
        this.size = message.payload().length;
        this.pendingSubscriptions = pendingSubscriptions;
    }

    long size() {
        return size;
    }
}
