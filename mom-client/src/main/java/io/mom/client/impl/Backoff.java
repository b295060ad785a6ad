package io.mom.client.impl;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initial}, doubling per attempt, capped at {@code max},
 * with "equal jitter" (a uniformly random value between half and all of the capped delay) so that
 * clients cut off together do not reconnect together. Immutable and thread-safe when its random
 * source is.
 */
public final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /** A backoff with a thread-local random source. */
    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A backoff whose jitter comes from {@code random} (values in [0, 1)); tests pass a fixed source. */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = Objects.requireNonNull(initial, "initial").toNanos();
        this.maxNanos = Objects.requireNonNull(max, "max").toNanos();
        this.random = Objects.requireNonNull(random, "random");
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** The capped delay before jitter for the given attempt (0 for the first retry). */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        long d = initialNanos;
        for (int i = 0; i < attempt && d < maxNanos; i++) {
            d = d > maxNanos / 2 ? maxNanos : d * 2;
        }
        return Duration.ofNanos(Math.min(d, maxNanos));
    }

    /** The delay to wait before the given attempt: between half and all of {@link #ceiling(int)}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        long half = ceiling / 2;
        double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofNanos(half + (long) (r * (ceiling - half)));
    }
}
