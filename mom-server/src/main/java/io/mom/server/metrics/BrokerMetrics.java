package io.mom.server.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import io.mom.transport.rest.StatsSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Turns broker events into Dropwizard metrics: per destination, meters of messages published, delivered,
 * acked, redelivered, dead-lettered, expired and dropped (exported as counters with a {@code destination}
 * label, bounded by {@link DestinationLabels}); per node, the same meters ({@code mom.node.*}), the store's
 * group-commit latency and batch size, the replication lag and the in-sync replica count. Also the
 * {@link StatsSource} of {@code GET /v1/stats} (counts and one-minute rates of every destination, folded or
 * not).
 *
 * <p>Thread-safe and non-blocking, as {@link BrokerEvents} requires.
 */
public final class BrokerMetrics implements BrokerEvents, StatsSource {
    /** Per-destination measures, in the order of the stats JSON. */
    static final List<String> MEASURES = List.of("published", "published_bytes", "delivered", "acked",
            "redelivered", "dead_lettered", "expired", "dropped");
    /** The measures whose one-minute rates the stats show. */
    private static final List<String> RATED = List.of("published", "delivered", "acked", "redelivered",
            "dead_lettered", "expired");

    private final MetricRegistry registry;
    private final DestinationLabels labels;
    private final Map<String, MetricFamily<Meter>> perDestination = new LinkedHashMap<>();
    private final Map<String, Meter> perNode = new LinkedHashMap<>();
    private final MetricFamily<SummedTimer> storeCommit;
    private final MetricFamily<SummedHistogram> storeBatch;
    private final ConcurrentHashMap<String, Long> replicationLag = new ConcurrentHashMap<>();
    private final Set<String> absentAtLastSweep = ConcurrentHashMap.newKeySet();
    private volatile IntSupplier inSyncReplicas = () -> 1;

    /**
     * @param maxDestinations destinations with series of their own on {@code /metrics} (the rest are folded
     *                        into {@link DestinationLabels#OTHER})
     */
    public BrokerMetrics(MetricRegistry registry, int maxDestinations) {
        this.registry = registry;
        this.labels = new DestinationLabels(maxDestinations);
        for (String m : MEASURES) {
            String help = m.endsWith("_bytes") ? "Payload bytes published per destination"
                    : "Messages " + m.replace('_', ' ') + " per destination";
            perDestination.put(m, new MetricFamily<>(registry, "mom_" + m, help, MetricFamily.Kind.COUNTER,
                    List.of("destination"), Meter::new));
            perNode.put(m, registry.meter("mom.node." + m));
        }
        storeCommit = new MetricFamily<>(registry, "mom_store_commit_seconds",
                "Time to write one group commit of the message store", MetricFamily.Kind.SUMMARY, List.of(),
                SummedTimer::new);
        storeBatch = new MetricFamily<>(registry, "mom_store_commit_operations",
                "Operations written by one group commit of the message store", MetricFamily.Kind.SUMMARY,
                List.of(), SummedHistogram::new);
        registry.register("mom.node.replication_lag", (Gauge<Long>) this::maxReplicationLag);
        registry.register("mom.node.insync_replicas", (Gauge<Integer>) () -> inSyncReplicas.getAsInt());
    }

    public MetricRegistry registry() {
        return registry;
    }

    DestinationLabels labels() {
        return labels;
    }

    /** The families exported with labels, for {@link PrometheusMetrics}. */
    List<MetricFamily<?>> families() {
        List<MetricFamily<?>> out = new ArrayList<>(perDestination.values());
        out.add(storeCommit);
        out.add(storeBatch);
        return out;
    }

    /**
     * Where the in-sync replica count comes from: the fewest in-sync copies among the partitions this node
     * leads. A single node always has 1 (itself); the cluster supplies its own.
     */
    public void inSyncReplicas(IntSupplier source) {
        this.inSyncReplicas = source;
    }

    private void mark(String measure, String destination, long n) {
        MetricFamily<Meter> family = perDestination.get(measure);
        family.get(destination).mark(n);
        if (labels.label(destination).equals(DestinationLabels.OTHER)) {
            family.get(DestinationLabels.OTHER).mark(n);
        }
        perNode.get(measure).mark(n);
    }

    @Override
    public void destinationCreated(DestinationRef destination, String owner) {
        labels.label(destination.name());
    }

    @Override
    public void published(String destination, int count, long bytes) {
        mark("published", destination, count);
        mark("published_bytes", destination, bytes);
    }

    @Override
    public void delivered(SubscriptionRef subscription, int count) {
        mark("delivered", subscription.destination().name(), count);
    }

    @Override
    public void acked(SubscriptionRef subscription, int count) {
        mark("acked", subscription.destination().name(), count);
    }

    @Override
    public void redelivered(SubscriptionRef subscription, int count) {
        mark("redelivered", subscription.destination().name(), count);
    }

    @Override
    public void deadLettered(SubscriptionRef subscription, String deadLetterQueue, int count) {
        mark("dead_lettered", subscription.destination().name(), count);
    }

    @Override
    public void expired(String destination, int count) {
        mark("expired", destination, count);
    }

    @Override
    public void dropped(String destination, int count) {
        mark("dropped", destination, count);
    }

    @Override
    public void destinationDeleted(DestinationRef destination, String by) {
        forget(destination.name());
    }

    private void forget(String destination) {
        for (MetricFamily<Meter> family : perDestination.values()) {
            family.removeWhere(0, destination);
        }
        replicationLag.keySet().removeIf(k -> k.startsWith(destination + "#"));
        labels.release(destination);
    }

    /**
     * Drops the metrics of destinations that no longer exist (an event racing a deletion can re-create
     * them). A destination must be missing from two consecutive listings, so that one created while a
     * listing was taken is never dropped.
     */
    void retainOnly(Set<String> live) {
        Set<String> known = new HashSet<>(labels.known());
        for (MetricFamily<Meter> family : perDestination.values()) {
            family.members().keySet().forEach(k -> known.add(k.get(0)));
        }
        known.remove(DestinationLabels.OTHER);
        known.removeAll(live);
        for (String gone : known) {
            if (!absentAtLastSweep.add(gone)) {
                forget(gone);
                absentAtLastSweep.remove(gone);
            }
        }
        absentAtLastSweep.retainAll(known);
    }

    @Override
    public void storeCommitted(int operations, long nanos) {
        storeCommit.get().update(nanos, TimeUnit.NANOSECONDS);
        storeBatch.get().update(operations);
    }

    @Override
    public void replicationLag(String destination, int partition, long operations) {
        replicationLag.put(destination + "#" + partition, Math.max(0, operations));
    }

    private long maxReplicationLag() {
        long max = 0;
        for (long lag : replicationLag.values()) {
            max = Math.max(max, lag);
        }
        return max;
    }

    @Override
    public Map<String, Double> nodeRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String m : RATED) {
            rates.put(camel(m) + "PerSecond", perNode.get(m).getOneMinuteRate());
        }
        return rates;
    }

    @Override
    public Map<String, Long> nodeCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String m : MEASURES) {
            counts.put(camel(m), perNode.get(m).getCount());
        }
        return counts;
    }

    @Override
    public Map<String, Double> destinationRates(String destination) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String m : RATED) {
            Meter meter = perDestination.get(m).peek(destination);
            rates.put(camel(m) + "PerSecond", meter == null ? 0.0 : meter.getOneMinuteRate());
        }
        return rates;
    }

    @Override
    public Map<String, Long> destinationCounts(String destination) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String m : MEASURES) {
            Meter meter = perDestination.get(m).peek(destination);
            counts.put(camel(m), meter == null ? 0L : meter.getCount());
        }
        return counts;
    }

    /** {@code dead_lettered} becomes {@code deadLettered}, as JSON fields are written. */
    static String camel(String measure) {
        StringBuilder sb = new StringBuilder(measure.length());
        boolean up = false;
        for (char c : measure.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
