package io.mom.core.internal;

import io.mom.core.Message;

/**
 * One stored message inside the broker, shared by every subscription that still needs it.
 * Guarded by the owning {@link Destination}'s lock.
 */
final class Entry {
    final Message message;
    /** Subscriptions that have not acked it yet. */
    int pendingSubscriptions;
    /** Deliveries of it currently awaiting an ack, over all subscriptions. */
    int inFlight;
    /** True once every subscription is done with it (or it was dropped). */
    boolean removed;

    Entry(Message message, int pendingSubscriptions) {
        this.message = message;
        this.pendingSubscriptions = pendingSubscriptions;
    }

    long size() {
        return message.payload().length;
    }
}
