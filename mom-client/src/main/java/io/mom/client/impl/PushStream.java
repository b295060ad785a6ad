package io.mom.client.impl;

import io.mom.client.AckResult;
import io.mom.client.NackMode;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An open push stream of one subscription, read by the subscription's own thread. {@link #close()}
 * may be called from any thread and makes a blocked {@link #next()} return or throw promptly.
 *
 * <p>A stream may also carry the acks and nacks of its own deliveries ({@link #settlesDeliveries()}),
 * as a gRPC stream does; its flow control then follows them. Otherwise they are separate calls.
 */
public interface PushStream extends AutoCloseable {

    /**
     * Blocks for the next event. Empty when the server ended the stream normally; throws
     * {@link IOException} when the connection broke.
     */
    Optional<StreamEvent> next() throws IOException;

    /** True while {@link #settle} can be used for this stream's deliveries. */
    default boolean settlesDeliveries() {
        return false;
    }

    /**
     * Acks ({@code nack} empty) or nacks receipts of this stream's deliveries over the stream itself;
     * completes once the server has applied them (durably), or exceptionally when the stream is gone.
     */
    default CompletableFuture<AckResult> settle(List<String> receipts, Optional<NackMode> nack) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this stream does not settle"));
    }

    /**
     * Tells the stream that the application has settled (acked or nacked) {@code deliveries} of its
     * deliveries, whichever way the settlement travels; a stream with credit-based flow control gives
     * their credit back. Thread-safe; does nothing by default.
     */
    default void released(int deliveries) {
    }

    /** Closes the stream; idempotent and thread-safe. */
    @Override
    void close();
}
