package io.mom.core;

/** What a nack does with the message. */
public enum NackMode {
    /** Make it available again (counts as a delivery; dead-lettered past max deliveries). */
    REQUEUE,
    /** Move it to the dead-letter queue now. */
    DEAD_LETTER
}
