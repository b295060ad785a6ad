package io.mom.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.mom.core.CloseReason;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import io.mom.transport.rest.RequestListener;
import io.mom.transport.rest.StatsSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns broker events and HTTP requests into Dropwizard metrics. Per-destination metrics are named
 * {@code mom.<measure>.<destination>} so that the Prometheus bridge can move the destination into a
 * label; node totals are {@code mom.node.<measure>}. Also the {@link StatsSource} of {@code /v1/stats}.
 *
 * <p>Thread-safe and non-blocking, as {@link BrokerEvents} requires.
 */
public final class BrokerMetrics implements BrokerEvents, RequestListener, StatsSource {
    /** Per-destination meters, exported as counters with a {@code destination} label. */
    static final List<String> DESTINATION_MEASURES = List.of("published", "published_bytes", "delivered", "acked",
            "redelivered", "dead_lettered", "expired", "dropped");
    /** Per-destination gauges of open consumers. */
    static final String CONSUMERS = "consumers";

    private final MetricRegistry registry;

    public BrokerMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    public MetricRegistry registry() {
        return registry;
    }

    private Meter meter(String measure, String destination) {
        return registry.meter("mom." + measure + "." + destination);
    }

    private void mark(String measure, String destination, long n) {
        meter(measure, destination).mark(n);
        registry.meter("mom.node." + measure).mark(n);
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
    public void consumerAttached(SubscriptionRef subscription, long consumerId) {
        consumers(subscription).inc();
    }

    @Override
    public void consumerDetached(SubscriptionRef subscription, long consumerId, CloseReason reason) {
        consumers(subscription).dec();
    }

    private Counter consumers(SubscriptionRef subscription) {
        return registry.counter("mom." + CONSUMERS + "." + subscription.destination().name());
    }

    @Override
    public void destinationDeleted(DestinationRef destination, String by) {
        // mom.<measure>.<destination>: measures have no dots, destination names may.
        registry.removeMatching((name, metric) -> name.startsWith("mom.") && !name.startsWith("mom.node.")
                && !name.startsWith("mom.http.") && name.indexOf('.', 4) > 0
                && name.substring(name.indexOf('.', 4) + 1).equals(destination.name()));
    }

    @Override
    public void storeCommitted(int operations, long nanos) {
        Timer t = registry.timer("mom.node.store_commit");
        t.update(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void requestCompleted(String method, int status, long nanos) {
        registry.meter("mom.http.requests." + status).mark();
    }

    @Override
    public Map<String, Double> nodeRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String m : List.of("published", "delivered", "acked", "redelivered", "dead_lettered")) {
            Meter meter = registry.getMeters().get("mom.node." + m);
            rates.put(m + "PerSecond", meter == null ? 0.0 : meter.getOneMinuteRate());
        }
        return rates;
    }

    @Override
    public Map<String, Double> destinationRates(String destination) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String m : List.of("published", "delivered", "acked")) {
            Meter meter = registry.getMeters().get("mom." + m + "." + destination);
            rates.put(m + "PerSecond", meter == null ? 0.0 : meter.getOneMinuteRate());
        }
        return rates;
    }
}
