package io.mom.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One delivery of a message, from a pull ({@link MomClient#receive}) or a push subscription
 * ({@link MessageHandler}). It knows its {@link #source()} and its receipt, so it acks and nacks itself.
 *
 * <p>Thread-safe: a message may be acked from any thread. Only the first successful settle call
 * ({@link #ack()} or {@link #nack}) reaches the server; later ones return {@code false} without a call.
 */
public interface Message {

    /** The message id, stable across redeliveries. */
    String id();

    /** Where this delivery comes from. */
    Source source();

    /** The payload bytes (a copy). */
    byte[] payload();

    /** The payload decoded as UTF-8 (the server sends text payloads as-is, others base64-encoded). */
    String text();

    /** The headers (immutable). */
    Map<String, String> headers();

    /** The routing key, if the producer set one. */
    Optional<String> key();

    /** The time to live the message was published with, if any. */
    Optional<Duration> ttl();

    /** The authenticated user who published it. */
    String sender();

    /** When the server accepted it. */
    Instant publishedAt();

    /** 1 for the first delivery, +1 for each redelivery. */
    int deliveryCount();

    /** The receipt that identifies this delivery; empty for auto-acked deliveries. */
    Optional<String> receipt();

    /**
     * Acknowledges this delivery. Returns {@code true} when the server applied the ack (it is then
     * durable) and {@code false} when it did not: the lease had expired, the delivery was already
     * settled, or it has no receipt (auto-ack). Throws {@link MomClientException} if the call fails.
     */
    boolean ack();

    /** {@link #ack()} without blocking; the future fails with a {@link MomClientException}. */
    CompletableFuture<Boolean> ackAsync();

    /** Negatively acknowledges this delivery; returns whether the server applied it (see {@link #ack()}). */
    boolean nack(NackMode mode);
}
