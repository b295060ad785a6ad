package io.mom.client;

/** Why a push {@link Subscription} ended. */
public enum CloseReason {
    /** The application closed it, or closed or logged out its client. */
    CLOSED,
    /** The destination or subscription was deleted. */
    DELETED,
    /** The server refused the stream for good (for example the token was revoked and no credentials are known). */
    FAILED
}
