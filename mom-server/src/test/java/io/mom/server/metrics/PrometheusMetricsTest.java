package io.mom.server.metrics;

import com.codahale.metrics.MetricRegistry;
import io.mom.core.CloseReason;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusMetricsTest {
    private final MetricRegistry registry = JvmMetrics.register(new MetricRegistry());
    private final BrokerMetrics metrics = new BrokerMetrics(registry);
    private final PrometheusMetrics prometheus = new PrometheusMetrics(registry);

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        prometheus.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void destinationsAreLabelsOfOneFamilyPerMeasure() throws Exception {
        metrics.published("orders.eu", 2, 10);
        metrics.published("audit", 1, 5);
        metrics.acked(SubscriptionRef.queue("orders.eu"), 1);
        metrics.consumerAttached(SubscriptionRef.topic("news", "s1"), 1);
        metrics.consumerAttached(SubscriptionRef.topic("news", "s2"), 2);
        metrics.consumerDetached(SubscriptionRef.topic("news", "s2"), 2, CloseReason.CLOSED);
        metrics.requestCompleted("GET", 200, 1000);
        metrics.requestCompleted("GET", 404, 1000);
        metrics.storeCommitted(3, 5_000);

        String text = scrape();
        assertThat(text).contains("mom_published_total{destination=\"orders.eu\"} 2.0")
                .contains("mom_published_total{destination=\"audit\"} 1.0")
                .contains("mom_published_bytes_total{destination=\"orders.eu\"} 10.0")
                .contains("mom_acked_total{destination=\"orders.eu\"} 1.0")
                .contains("mom_consumers{destination=\"news\"} 1.0")
                .contains("mom_http_requests_total{status=\"404\"} 1.0")
                .contains("mom_node_published_total 3.0")
                .contains("mom_node_store_commit")
                .contains("jvm_memory_heap_used");
        assertThat(text.split("# TYPE mom_published_total", -1)).hasSize(2);
        assertThat(metrics.nodeRates()).containsKeys("publishedPerSecond", "ackedPerSecond");
    }

    @Test
    void deletedDestinationsLeaveTheExposition() throws Exception {
        metrics.published("gone.soon", 1, 1);
        metrics.published("gone", 1, 1);
        metrics.destinationDeleted(DestinationRef.queue("gone.soon"), "admin");
        String text = scrape();
        assertThat(text).doesNotContain("destination=\"gone.soon\"").contains("destination=\"gone\"");
        assertThat(text).contains("mom_node_published_total 2.0");
    }
}
