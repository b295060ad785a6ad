package io.mom.server.metrics;

import io.mom.core.Broker;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationType;
import io.mom.core.MomException;
import io.mom.core.Page;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The broker's current state per destination, read at each scrape: depth (messages not yet acked by every
 * subscription), in-flight deliveries, consumers (push streams and waiting pulls) and subscriptions, as
 * gauges with a {@code destination} label bounded like the counters ({@link DestinationLabels}: folded
 * destinations are summed under {@code ~other}); plus the number of destinations and of folded ones. Each
 * scrape also lets {@link BrokerMetrics} drop the counters of destinations that no longer exist.
 *
 * <p>Thread-safe; a scrape while the broker is not running exports only the destination count 0.
 */
public final class DestinationGauges implements MultiCollector {
    private static final String[] NAMES = {"mom_depth", "mom_in_flight", "mom_consumers", "mom_subscriptions"};
    private static final String[] HELP = {
        "Messages stored and not yet acked by every subscription, per destination",
        "Deliveries awaiting an ack, per destination",
        "Open push consumers plus waiting pulls, per destination",
        "Subscriptions per destination (1 for a queue)"};

    private final Supplier<Optional<List<DestinationInfo>>> destinations;
    private final BrokerMetrics metrics;

    /** @param destinations every destination now, or empty when the broker cannot say (not running) */
    DestinationGauges(Supplier<Optional<List<DestinationInfo>>> destinations, BrokerMetrics metrics) {
        this.destinations = destinations;
        this.metrics = metrics;
    }

    /** Gauges over every destination of {@code broker}. */
    public static DestinationGauges of(Broker broker, BrokerMetrics metrics) {
        return new DestinationGauges(() -> listAll(broker), metrics);
    }

    static Optional<List<DestinationInfo>> listAll(Broker broker) {
        if (!broker.isRunning()) {
            return Optional.empty();
        }
        List<DestinationInfo> all = new ArrayList<>();
        try {
            for (DestinationType type : DestinationType.values()) {
                String cursor = "";
                while (true) {
                    Page<DestinationInfo> page = broker.list(type, "", 1000, cursor);
                    all.addAll(page.items());
                    if (page.next().isEmpty()) {
                        break;
                    }
                    cursor = page.next().get();
                }
            }
        } catch (MomException e) {
            return Optional.empty(); // stopping or not yet recovered: nothing to report
        }
        return Optional.of(all);
    }

    @Override
    public MetricSnapshots collect() {
        Optional<List<DestinationInfo>> now = destinations.get();
        List<MetricSnapshot> out = new ArrayList<>();
        if (now.isEmpty()) {
            out.add(single("mom_destinations", "Destinations on this node", 0));
            return new MetricSnapshots(out);
        }
        DestinationLabels labels = metrics.labels();
        Map<String, long[]> byLabel = new LinkedHashMap<>();
        Set<String> live = new HashSet<>();
        for (DestinationInfo d : now.get()) {
            String name = d.ref().name();
            live.add(name);
            long[] v = byLabel.computeIfAbsent(labels.label(name), k -> new long[NAMES.length]);
            v[0] += d.depth();
            v[1] += d.inFlight();
            v[2] += d.consumers();
            v[3] += d.subscriptions();
        }
        metrics.retainOnly(live);
        for (int i = 0; i < NAMES.length; i++) {
            if (byLabel.isEmpty()) {
                break;
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(NAMES[i]).help(HELP[i]);
            for (Map.Entry<String, long[]> e : byLabel.entrySet()) {
                b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("destination", e.getKey())).value(e.getValue()[i]).build());
            }
            out.add(b.build());
        }
        out.add(single("mom_destinations", "Destinations on this node", live.size()));
        out.add(single("mom_metrics_folded_destinations", "Destinations beyond metrics.max.destinations, "
                + "summed under destination=\"~other\"", labels.folded()));
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot single(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
