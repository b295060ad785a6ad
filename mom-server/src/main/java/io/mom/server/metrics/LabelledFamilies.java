package io.mom.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
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
 * Metric families whose Dropwizard names end in a label value: {@code mom.<measure>.<destination>}
 * (meters become counters, the consumers counter a gauge) and {@code mom.http.requests.<status>}. Each
 * measure is one Prometheus family with one series per label value. Thread-safe; reads the registry at
 * each scrape.
 */
final class LabelledFamilies implements MultiCollector {
    private record Family(String prefix, String name, String label, String help) {
    }

    private final MetricRegistry registry;
    private final List<Family> families = new ArrayList<>();

    LabelledFamilies(MetricRegistry registry) {
        this.registry = registry;
        for (String m : BrokerMetrics.DESTINATION_MEASURES) {
            families.add(new Family("mom." + m + ".", "mom_" + m, "destination",
                    "Messages " + m.replace('_', ' ') + " per destination" + (m.endsWith("bytes") ? " (bytes)" : "")));
        }
        families.add(new Family("mom." + BrokerMetrics.CONSUMERS + ".", "mom_" + BrokerMetrics.CONSUMERS,
                "destination", "Open push consumers per destination"));
        families.add(new Family("mom.http.requests.", "mom_http_requests", "status", "HTTP requests by status"));
    }

    /** True for Dropwizard names this collector exports (the bridge must skip them). */
    boolean covers(String name) {
        return family(name) != null;
    }

    private Family family(String name) {
        for (Family f : families) {
            if (name.startsWith(f.prefix()) && name.length() > f.prefix().length()) {
                return f;
            }
        }
        return null;
    }

    @Override
    public MetricSnapshots collect() {
        Map<Family, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
        Map<Family, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
        for (Map.Entry<String, Meter> e : registry.getMeters().entrySet()) {
            Family f = family(e.getKey());
            if (f != null) {
                counters.computeIfAbsent(f, x -> CounterSnapshot.builder().name(x.name()).help(x.help()))
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of(f.label(), e.getKey().substring(f.prefix().length())))
                                .value(e.getValue().getCount()).build());
            }
        }
        for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
            Family f = family(e.getKey());
            if (f != null) {
                gauges.computeIfAbsent(f, x -> GaugeSnapshot.builder().name(x.name()).help(x.help()))
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .labels(Labels.of(f.label(), e.getKey().substring(f.prefix().length())))
                                .value(e.getValue().getCount()).build());
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        counters.values().forEach(b -> out.add(b.build()));
        gauges.values().forEach(b -> out.add(b.build()));
        return new MetricSnapshots(out);
    }
}
