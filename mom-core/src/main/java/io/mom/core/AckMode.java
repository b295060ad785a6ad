package io.mom.core;

/** How deliveries are acknowledged. */
public enum AckMode {
    /** The consumer acks (or nacks) each receipt; unacked deliveries are redelivered: at-least-once. */
    CLIENT,
    /** A delivery counts as acked when handed over: at-most-once. */
    AUTO
}
