package io.mom.core;

/** Why a consumer ended. */
public enum CloseReason {
    /** The consumer (or its transport) closed it. */
    CLOSED,
    /** The destination was deleted. */
    DELETED,
    /** The subscription was deleted. */
    UNSUBSCRIBED,
    /** The broker is shutting down. */
    BROKER_STOPPED,
    /** The listener threw. */
    FAILED
}
