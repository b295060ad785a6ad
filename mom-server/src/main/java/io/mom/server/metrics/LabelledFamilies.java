package io.mom.server.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Exports {@link MetricFamily families} in the Prometheus model: one family per measurement, one series
 * per combination of label values that the family's filter lets through (the per-destination families
 * only export named destinations and {@code ~other}, see {@link DestinationLabels}). Meters and counters
 * become counters or gauges; timers and histograms become summaries with quantiles 0.5, 0.9, 0.99 and 0.999,
 * an exact {@code _sum} and {@code _count} (timers in seconds).
 *
 * <p>Families are added before the first scrape; each scrape reads the live metrics. Thread-safe.
 */
final class LabelledFamilies implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;

    private record Exported(MetricFamily<?> family, Predicate<List<String>> include) {
    }

    private final List<Exported> families = new ArrayList<>();

    /** Exports every member of the family. */
    LabelledFamilies add(MetricFamily<?> family) {
        return add(family, values -> true);
    }

    /** Exports the members whose label values pass {@code include}. */
    LabelledFamilies add(MetricFamily<?> family, Predicate<List<String>> include) {
        families.add(new Exported(family, include));
        return this;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (Exported e : families) {
            MetricSnapshot s = snapshot(e.family(), e.include());
            if (s != null) {
                out.add(s);
            }
        }
        return new MetricSnapshots(out);
    }

    private static MetricSnapshot snapshot(MetricFamily<?> family, Predicate<List<String>> include) {
        CounterSnapshot.Builder counters = CounterSnapshot.builder().name(family.name()).help(family.help());
        GaugeSnapshot.Builder gauges = GaugeSnapshot.builder().name(family.name()).help(family.help());
        SummarySnapshot.Builder summaries = SummarySnapshot.builder().name(family.name()).help(family.help());
        int points = 0;
        for (Map.Entry<List<String>, ? extends Metric> m : family.members().entrySet()) {
            if (!include.test(m.getKey())) {
                continue;
            }
            Labels labels = labels(family.labelNames(), m.getKey());
            Metric metric = m.getValue();
            switch (family.kind()) {
                case COUNTER:
                    counters.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                            .value(((Counting) metric).getCount()).build());
                    break;
                case GAUGE:
                    gauges.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                            .value(((Counting) metric).getCount()).build());
                    break;
                default:
                    summaries.dataPoint(summary(labels, metric));
                    break;
            }
            points++;
        }
        if (points == 0) {
            return null;
        }
        switch (family.kind()) {
            case COUNTER:
                return counters.build();
            case GAUGE:
                return gauges.build();
            default:
                return summaries.build();
        }
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summary(Labels labels, Metric metric) {
        double scale;
        double sum;
        if (metric instanceof SummedTimer) {
            scale = 1 / NANOS_PER_SECOND;
            sum = ((SummedTimer) metric).totalNanos() / NANOS_PER_SECOND;
        } else {
            scale = 1;
            sum = ((SummedHistogram) metric).total();
        }
        Snapshot sample = ((Sampling) metric).getSnapshot();
        List<Quantile> quantiles = new ArrayList<>(QUANTILES.length);
        for (double q : QUANTILES) {
            quantiles.add(new Quantile(q, sample.getValue(q) * scale));
        }
        return SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels).quantiles(Quantiles.of(quantiles))
                .count(((Counting) metric).getCount()).sum(sum).build();
    }

    private static Labels labels(List<String> names, List<String> values) {
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < names.size(); i++) {
            b.label(names.get(i), values.get(i));
        }
        return b.build();
    }
}
