package io.mom.client;

import java.util.Objects;

/**
 * Options of a push subscription ({@link MomClient#subscribe}).
 *
 * @param prefetch most unacked deliveries the server sends ahead, 1..10000 (default 100); with
 *                 {@link AckMode#CLIENT}, acks make room for more. Over gRPC it is the stream's credit:
 *                 a delivery's credit comes back when its {@link Message} is acked or nacked (receipts
 *                 acked with {@link MomClient#ack} instead return none)
 * @param ackMode  {@link AckMode#CLIENT} (default: the handler acks) or {@link AckMode#AUTO}
 * @param listener told about connection changes and handler failures
 */
public record SubscribeOptions(int prefetch, AckMode ackMode, SubscriptionListener listener) {
    /** Largest prefetch the server accepts. */
    public static final int MAX_PREFETCH = 10_000;
    /** Prefetch 100, client acks, no listener. */
    public static final SubscribeOptions DEFAULTS = builder().build();

    public SubscribeOptions {
        Objects.requireNonNull(ackMode, "ackMode");
        Objects.requireNonNull(listener, "listener");
        if (prefetch < 1 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH + ": " + prefetch);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SubscribeOptions}; not thread-safe. */
    public static final class Builder {
        private int prefetch = 100;
        private AckMode ackMode = AckMode.CLIENT;
        private SubscriptionListener listener = SubscriptionListener.NONE;

        private Builder() {
        }

        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder ackMode(AckMode ackMode) {
            this.ackMode = ackMode;
            return this;
        }

        public Builder listener(SubscriptionListener listener) {
            this.listener = listener;
            return this;
        }

        public SubscribeOptions build() {
            return new SubscribeOptions(prefetch, ackMode, listener);
        }
    }
}
