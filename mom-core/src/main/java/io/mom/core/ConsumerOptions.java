package io.mom.core;

import java.util.Objects;

/**
 * Options of a push consumer.
 *
 * @param prefetch initial window or credit, 1..10000
 * @param ackMode  client or auto acknowledgement
 * @param flow     window (acks refill) or explicit credit
 */
public record ConsumerOptions(int prefetch, AckMode ackMode, FlowControl flow) {
    public static final int MAX_PREFETCH = 10_000;

    public ConsumerOptions {
        Objects.requireNonNull(ackMode, "ackMode");
        Objects.requireNonNull(flow, "flow");
        if (prefetch < 1 || prefetch > MAX_PREFETCH) {
            throw MomException.invalid("prefetch must be between 1 and " + MAX_PREFETCH);
        }
    }

    public static ConsumerOptions clientAck(int prefetch) {
        return new ConsumerOptions(prefetch, AckMode.CLIENT, FlowControl.WINDOW);
    }

    public static ConsumerOptions autoAck(int prefetch) {
        return new ConsumerOptions(prefetch, AckMode.AUTO, FlowControl.WINDOW);
    }
}
