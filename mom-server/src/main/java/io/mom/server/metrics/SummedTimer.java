package io.mom.server.metrics;

import com.codahale.metrics.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard {@link Timer} that also keeps the exact total of the durations it recorded, which a
 * Prometheus summary reports as {@code _sum} (the reservoir only keeps a sample). Thread-safe.
 */
final class SummedTimer extends Timer {
    private final LongAdder totalNanos = new LongAdder();

    @Override
    public void update(long duration, TimeUnit unit) {
        if (duration >= 0) {
            totalNanos.add(unit.toNanos(duration));
        }
        super.update(duration, unit);
    }

    @Override
    public void update(Duration duration) {
        update(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sum of every recorded duration, in nanoseconds. */
    long totalNanos() {
        return totalNanos.sum();
    }
}
