package io.mom.server.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM's memory, garbage-collection and thread gauges: registered in Dropwizard under {@code jvm.*}
 * (Dropwizard's own gauge sets), and exported to Prometheus by {@link #collector} under conventional,
 * lint-clean names with the pool, collector or thread state as a label: {@code jvm_memory_used_bytes{area}},
 * {@code jvm_memory_pool_used_bytes{pool}}, {@code jvm_gc_collections_total{gc}},
 * {@code jvm_gc_collection_seconds_total{gc}}, {@code jvm_threads_state{state}}, {@code jvm_threads_current}
 * and so on. Thread-safe.
 */
public final class JvmMetrics {
    static final String PREFIX = "jvm.";
    private static final String[] MEMORY_KINDS = {"used", "committed", "max", "init"};

    private JvmMetrics() {
    }

    public static MetricRegistry register(MetricRegistry registry) {
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        return registry;
    }

    /** Exports the {@code jvm.*} gauges of {@code registry}. */
    static MultiCollector collector(MetricRegistry registry) {
        return () -> collect(registry);
    }

    private static MetricSnapshots collect(MetricRegistry registry) {
        Families f = new Families();
        for (Map.Entry<String, Gauge> e : registry.getGauges((name, m) -> name.startsWith(PREFIX)).entrySet()) {
            Object value = e.getValue().getValue();
            if (value instanceof Number) {
                f.map(e.getKey(), ((Number) value).doubleValue());
            }
        }
        return f.build();
    }

    /** Collects data points per family while the Dropwizard names are read. */
    private static final class Families {
        private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
        private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();

        void map(String name, double v) {
            String[] p = name.split("\\.");
            if (name.startsWith("jvm.memory.pools.") && p.length >= 5) {
                String pool = name.substring("jvm.memory.pools.".length(), name.lastIndexOf('.'));
                String kind = p[p.length - 1];
                if (kind.equals("usage")) {
                    gauge("jvm_memory_pool_usage_ratio", "Used over max of a memory pool", "pool", pool, v);
                } else {
                    gauge("jvm_memory_pool_" + kind.replace('-', '_') + "_bytes", "Bytes " + kind + " of a memory pool",
                            "pool", pool, v);
                }
            } else if (name.startsWith("jvm.memory.") && p.length == 4) {
                String area = p[2];
                String kind = p[3];
                if (kind.equals("usage")) {
                    gauge("jvm_memory_usage_ratio", "Used over max of heap or non-heap memory", "area", area, v);
                } else if (List.of(MEMORY_KINDS).contains(kind)) {
                    gauge("jvm_memory_" + kind + "_bytes", "Bytes " + kind + " of heap, non-heap or total memory",
                            "area", area, v);
                }
            } else if (name.startsWith("jvm.gc.") && p.length >= 4) {
                String gc = name.substring("jvm.gc.".length(), name.lastIndexOf('.'));
                if (name.endsWith(".count")) {
                    counter("jvm_gc_collections", "Collections run by a garbage collector", "gc", gc, v);
                } else if (name.endsWith(".time")) {
                    counter("jvm_gc_collection_seconds", "Time spent by a garbage collector", "gc", gc, v / 1000);
                }
            } else if (name.startsWith("jvm.threads.") && name.endsWith(".count")) {
                threads(p[2], v);
            }
        }

        private void threads(String what, double v) {
            switch (what) {
                case "count":
                    gauge("jvm_threads_current", "Live threads", null, null, v);
                    break;
                case "daemon":
                    gauge("jvm_threads_daemon", "Live daemon threads", null, null, v);
                    break;
                case "peak":
                    gauge("jvm_threads_peak", "Most live threads since the JVM started", null, null, v);
                    break;
                case "total_started":
                    counter("jvm_threads_started", "Threads started since the JVM started", null, null, v);
                    break;
                case "deadlock":
                    gauge("jvm_threads_deadlocked", "Threads in a deadlock", null, null, v);
                    break;
                default:
                    gauge("jvm_threads_state", "Threads per state", "state", what, v);
                    break;
            }
        }

        private void gauge(String family, String help, String label, String value, double v) {
            gauges.computeIfAbsent(family, n -> GaugeSnapshot.builder().name(n).help(help))
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(label, value)).value(v)
                            .build());
        }

        private void counter(String family, String help, String label, String value, double v) {
            counters.computeIfAbsent(family, n -> CounterSnapshot.builder().name(n).help(help))
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(label, value)).value(v)
                            .build());
        }

        private static Labels labels(String label, String value) {
            return label == null ? Labels.EMPTY : Labels.of(label, value);
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>();
            gauges.values().forEach(b -> out.add(b.build()));
            counters.values().forEach(b -> out.add(b.build()));
            return new MetricSnapshots(out);
        }
    }
}
