package io.mom.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A pull: up to {@code max} messages, waiting up to {@code wait} for the first one.
 *
 * @param max     1..1000
 * @param waitTime 0..30 s
 * @param ackMode client or auto acknowledgement
 */
public record ReceiveRequest(int max, Duration waitTime, AckMode ackMode) {
    public static final int MAX_MESSAGES = 1000;
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    public ReceiveRequest {
        Objects.requireNonNull(waitTime, "waitTime");
        Objects.requireNonNull(ackMode, "ackMode");
        if (max < 1 || max > MAX_MESSAGES) {
            throw MomException.invalid("max must be between 1 and " + MAX_MESSAGES);
        }
        if (waitTime.isNegative() || waitTime.compareTo(MAX_WAIT) > 0) {
            throw MomException.invalid("waitMs must be between 0 and 30000");
        }
    }

    public static ReceiveRequest of(int max, Duration waitTime) {
        return new ReceiveRequest(max, waitTime, AckMode.CLIENT);
    }
}
