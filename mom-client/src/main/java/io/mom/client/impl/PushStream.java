package io.mom.client.impl;

import java.io.IOException;
import java.util.Optional;

/**
 * An open push stream of one subscription, read by the subscription's own thread. {@link #close()}
 * may be called from any thread and makes a blocked {@link #next()} return or throw promptly.
 */
public interface PushStream extends AutoCloseable {

    /**
     * Blocks for the next event. Empty when the server ended the stream normally; throws
     * {@link IOException} when the connection broke.
     */
    Optional<StreamEvent> next() throws IOException;

    /** Closes the stream; idempotent and thread-safe. */
    @Override
    void close();
}
