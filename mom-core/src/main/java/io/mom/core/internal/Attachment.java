package io.mom.core.internal;

import io.mom.core.AckMode;
import io.mom.core.Delivery;

/**
 * Something attached to a subscription that takes deliveries: a push consumer or a waiting pull.
 * Every method is called with the destination lock held.
 */
sealed interface Attachment permits PushConsumer, PullWaiter {
    AckMode ackMode();

    /** True when it can take one more delivery of {@code bytes} payload bytes now. */
    boolean canTake(long bytes);

    /** Hands over a delivery; the effects run what must happen after the lock is released. */
    void take(Delivery delivery, long bytes, Effects effects);
}
