package io.mom.server.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;

/** Registers the JVM's memory, thread and garbage-collection gauges under {@code jvm.*}. */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    public static MetricRegistry register(MetricRegistry registry) {
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        return registry;
    }
}
