package io.mom.client.impl;

import io.mom.client.NackMode;
import io.mom.client.Source;
import io.mom.client.UnavailableException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Settles the deliveries of a push stream that carries its own acks ({@link PushStream#settlesDeliveries()}):
 * acks are coalesced by an {@link AckBatcher} and sent on the stream, nacks one by one. (The delivery's
 * credit is given back before, by {@link OpenDeliveries#releasing}.) Once the stream
 * is gone (or a settle fails because it went), the separate calls of {@code fallback} are used, since
 * the receipt may still be valid until its lease ends. Thread-safe.
 */
final class StreamSettler implements ReceivedMessage.Settler {
    private final PushStream stream;
    private final ReceivedMessage.Settler fallback;
    private final AckBatcher acks;

    StreamSettler(PushStream stream, ReceivedMessage.Settler fallback) {
        this.stream = stream;
        this.fallback = fallback;
        this.acks = new AckBatcher((source, receipts) -> stream.settle(receipts, Optional.empty()));
    }

    @Override
    public CompletableFuture<Boolean> ack(Source source, String receipt) {
        return viaStream(() -> acks.ack(source, receipt), () -> fallback.ack(source, receipt));
    }

    @Override
    public CompletableFuture<Boolean> nack(Source source, String receipt, NackMode mode) {
        return viaStream(() -> stream.settle(List.of(receipt), Optional.of(mode)).thenApply(r -> r.invalid().isEmpty()),
                () -> fallback.nack(source, receipt, mode));
    }

    private CompletableFuture<Boolean> viaStream(Supplier<CompletableFuture<Boolean>> onStream,
                                                 Supplier<CompletableFuture<Boolean>> separately) {
        if (!stream.settlesDeliveries()) {
            return separately.get();
        }
        return onStream.get().exceptionallyCompose(error -> {
            if (Errors.unwrap(error) instanceof UnavailableException && !stream.settlesDeliveries()) {
                return separately.get();
            }
            return CompletableFuture.failedFuture(Errors.unwrap(error));
        });
    }
}
