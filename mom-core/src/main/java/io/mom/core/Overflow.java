package io.mom.core;

/** What a destination at its {@code maxLength} does with a new message. */
public enum Overflow {
    /** Refuse the publish with {@link ErrorCode#QUEUE_FULL}. */
    REJECT,
    /** Accept the publish and drop the oldest message that is not being delivered. */
    DROP_OLDEST
}
