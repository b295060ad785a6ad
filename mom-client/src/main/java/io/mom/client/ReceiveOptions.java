package io.mom.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A pull: up to {@code max} messages, waiting up to {@code waitTime} for the first one (long poll).
 * The server answers as soon as at least one message is available, or with an empty list when the
 * wait ends.
 *
 * @param max      1..1000 messages
 * @param waitTime 0..30 s
 * @param ackMode  {@link AckMode#CLIENT} (messages carry receipts to ack) or {@link AckMode#AUTO}
 */
public record ReceiveOptions(int max, Duration waitTime, AckMode ackMode) {
    /** Most messages one receive may ask for. */
    public static final int MAX_MESSAGES = 1000;
    /** Longest wait one receive may ask for. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    public ReceiveOptions {
        Objects.requireNonNull(waitTime, "waitTime");
        Objects.requireNonNull(ackMode, "ackMode");
        if (max < 1 || max > MAX_MESSAGES) {
            throw new IllegalArgumentException("max must be between 1 and " + MAX_MESSAGES + ": " + max);
        }
        if (waitTime.isNegative() || waitTime.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("waitTime must be between 0 and 30 s: " + waitTime);
        }
    }

    /** Up to {@code max} messages, waiting up to {@code waitTime}, acked by the application. */
    public static ReceiveOptions of(int max, Duration waitTime) {
        return new ReceiveOptions(max, waitTime, AckMode.CLIENT);
    }

    /** The same pull with auto-ack (at-most-once). */
    public ReceiveOptions autoAck() {
        return new ReceiveOptions(max, waitTime, AckMode.AUTO);
    }
}
