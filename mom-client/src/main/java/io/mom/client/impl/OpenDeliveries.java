package io.mom.client.impl;

import io.mom.client.NackMode;
import io.mom.client.Source;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unsettled deliveries of a client's open push streams, by receipt, so that a delivery gives its
 * stream's credit back ({@link PushStream#released}) exactly once however the application settles it:
 * {@link io.mom.client.Message#ack()}, {@link io.mom.client.Message#nack}, or
 * {@link io.mom.client.MomClient#ack}/{@link io.mom.client.MomClient#nack} with its receipt. Without this, a
 * consumer acking through the client would never return credit and its stream would stall once
 * {@code prefetch} deliveries were outstanding.
 *
 * <p>Entries are bounded by the prefetch of each open stream: a stream's entries go when it ends
 * ({@link #forget}). Thread-safe.
 */
final class OpenDeliveries {
    private final ConcurrentHashMap<String, PushStream> streamOf = new ConcurrentHashMap<>();

    /** Notes that {@code stream} handed out the delivery of {@code receipt} (a client-ack delivery). */
    void delivered(String receipt, PushStream stream) {
        streamOf.put(Objects.requireNonNull(receipt, "receipt"), Objects.requireNonNull(stream, "stream"));
    }

    /**
     * The application settled {@code receipt}: its stream, if still open and not yet told, gets the
     * delivery's credit back. Receipts of other deliveries (pulled, or already settled) are ignored.
     */
    void settled(String receipt) {
        PushStream stream = receipt == null ? null : streamOf.remove(receipt);
        if (stream != null) {
            stream.released(1);
        }
    }

    /** {@link #settled(String)} for each receipt. */
    void settled(Collection<String> receipts) {
        receipts.forEach(this::settled);
    }

    /** Drops the deliveries of a stream that has ended: they are redelivered elsewhere, with new receipts. */
    void forget(PushStream stream) {
        streamOf.values().removeIf(s -> s == stream);
    }

    /** Number of deliveries not yet settled, for tests. */
    int size() {
        return streamOf.size();
    }

    /** A settler that first returns the credit of the receipt it settles, then settles through {@code delegate}. */
    ReceivedMessage.Settler releasing(ReceivedMessage.Settler delegate) {
        return new ReceivedMessage.Settler() {
            @Override
            public CompletableFuture<Boolean> ack(Source source, String receipt) {
                settled(receipt);
                return delegate.ack(source, receipt);
            }

            @Override
            public CompletableFuture<Boolean> nack(Source source, String receipt, NackMode mode) {
                settled(receipt);
                return delegate.nack(source, receipt, mode);
            }
        };
    }
}
