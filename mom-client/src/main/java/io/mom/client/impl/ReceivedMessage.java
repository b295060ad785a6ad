package io.mom.client.impl;

import io.mom.client.Message;
import io.mom.client.NackMode;
import io.mom.client.Source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A {@link Message} bound to its source and to the client that settles it. Thread-safe: the first
 * settle call claims the delivery; if that call fails, the claim is released so it can be retried.
 */
final class ReceivedMessage implements Message {

    /** Sends the ack or nack of one receipt; completes with whether the server applied it. */
    interface Settler {
        CompletableFuture<Boolean> ack(Source source, String receipt);

        CompletableFuture<Boolean> nack(Source source, String receipt, NackMode mode);
    }

    private final Delivery delivery;
    private final Source source;
    private final Settler settler;
    private final AtomicBoolean settled = new AtomicBoolean();

    ReceivedMessage(Delivery delivery, Source source, Settler settler) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.source = Objects.requireNonNull(source, "source");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    @Override
    public String id() {
        return delivery.id();
    }

    @Override
    public Source source() {
        return source;
    }

    @Override
    public byte[] payload() {
        return delivery.payload().clone();
    }

    @Override
    public String text() {
        return new String(delivery.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> headers() {
        return delivery.headers();
    }

    @Override
    public Optional<String> key() {
        return delivery.key();
    }

    @Override
    public Optional<Duration> ttl() {
        return delivery.ttl();
    }

    @Override
    public String sender() {
        return delivery.sender();
    }

    @Override
    public Instant publishedAt() {
        return delivery.publishedAt();
    }

    @Override
    public int deliveryCount() {
        return delivery.deliveryCount();
    }

    @Override
    public Optional<String> receipt() {
        return delivery.receipt();
    }

    @Override
    public boolean ack() {
        return Errors.await(ackAsync());
    }

    @Override
    public CompletableFuture<Boolean> ackAsync() {
        return settle(receipt -> settler.ack(source, receipt));
    }

    @Override
    public boolean nack(NackMode mode) {
        Objects.requireNonNull(mode, "mode");
        return Errors.await(nackAsync(mode));
    }

    CompletableFuture<Boolean> nackAsync(NackMode mode) {
        return settle(receipt -> settler.nack(source, receipt, mode));
    }

    /** True once an ack or nack was sent (or is being sent). */
    boolean isSettled() {
        return settled.get();
    }

    private CompletableFuture<Boolean> settle(Function<String, CompletableFuture<Boolean>> call) {
        if (delivery.receipt().isEmpty() || !settled.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> sent;
        try {
            sent = call.apply(delivery.receipt().get());
        } catch (RuntimeException e) {
            settled.set(false);
            throw e;
        }
        return sent.handle((applied, error) -> {
            if (error != null) {
                settled.set(false);
                throw Errors.forCaller(error);
            }
            return applied;
        });
    }

    @Override
    public String toString() {
        return "Message[id=" + id() + ", source=" + source + ", " + delivery.payload().length + " bytes, deliveryCount="
                + deliveryCount() + "]";
    }
}
