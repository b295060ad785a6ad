package io.mom.server.metrics;

import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Histogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard {@link Histogram} that also keeps the exact total of the values it recorded, which a
 * Prometheus summary reports as {@code _sum}. Thread-safe.
 */
final class SummedHistogram extends Histogram {
    private final LongAdder total = new LongAdder();

    SummedHistogram() {
        super(new ExponentiallyDecayingReservoir());
    }

    @Override
    public void update(int value) {
        update((long) value);
    }

    @Override
    public void update(long value) {
        total.add(value);
        super.update(value);
    }

    long total() {
        return total.sum();
    }
}
