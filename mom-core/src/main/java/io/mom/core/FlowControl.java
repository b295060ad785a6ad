package io.mom.core;

/** How a push consumer limits what it is sent. */
public enum FlowControl {
    /**
     * At most {@code prefetch} deliveries outstanding: unacked ones for {@link AckMode#CLIENT}, ones
     * whose listener call has not returned for {@link AckMode#AUTO}.
     */
    WINDOW,
    /** One delivery per credit; the consumer grants credit with {@link Consumer#grant(int)}; acks add none. */
    CREDIT
}
