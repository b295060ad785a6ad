package io.mom.client;

/** What a nack does with the message. */
public enum NackMode {
    /** Deliver the message again (its delivery count grows; past {@code maxDeliveries} it is dead-lettered). */
    REQUEUE,
    /** Move the message to the dead-letter queue now. */
    DEAD_LETTER
}
