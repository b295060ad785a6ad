package io.mom.server.metrics;

import com.codahale.metrics.MetricRegistry;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import io.mom.server.testing.ExternalTools;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusMetricsTest {
    private final MetricRegistry registry = JvmMetrics.register(new MetricRegistry());
    private final List<DestinationInfo> live = new ArrayList<>();

    private final class Setup {
        final BrokerMetrics broker;
        final HttpMetrics http = new HttpMetrics(registry);
        final PrometheusMetrics prometheus;

        Setup(int cap) {
            broker = new BrokerMetrics(registry, cap);
            prometheus = new PrometheusMetrics(registry, broker, http, new GrpcMetrics(registry),
                    new DestinationGauges(() -> Optional.of(List.copyOf(live)), broker));
        }

        String scrape() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            prometheus.writeTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private void exists(String name, long depth, long inFlight, int consumers) {
        live.add(new DestinationInfo(DestinationRef.queue(name), "alice", DestinationOptions.DEFAULTS,
                Instant.EPOCH, depth, inFlight, consumers, 1));
    }

    @Test
    void destinationsAreLabelsOfOneFamilyPerMeasureAndTheTextPassesPromtool() throws Exception {
        Setup s = new Setup(1000);
        exists("orders.eu", 1, 1, 2);
        exists("audit", 1, 0, 0);
        s.broker.published("orders.eu", 2, 10);
        s.broker.published("audit", 1, 5);
        s.broker.delivered(SubscriptionRef.queue("orders.eu"), 2);
        s.broker.acked(SubscriptionRef.queue("orders.eu"), 1);
        s.broker.deadLettered(SubscriptionRef.queue("audit"), "audit.dlq", 1);
        s.http.requestCompleted("GET", "/v1/queues/{name}", 200, 2_000_000);
        s.http.requestCompleted("GET", "/v1/queues/{name}", 404, 1_000_000);
        s.broker.storeCommitted(3, 5_000_000);
        s.broker.storeCommitted(5, 1_000_000);

        String text = s.scrape();
        assertThat(text).contains("mom_published_total{destination=\"orders.eu\"} 2.0")
                .contains("mom_published_total{destination=\"audit\"} 1.0")
                .contains("mom_published_bytes_total{destination=\"orders.eu\"} 10.0")
                .contains("mom_acked_total{destination=\"orders.eu\"} 1.0")
                .contains("mom_dead_lettered_total{destination=\"audit\"} 1.0")
                .contains("mom_depth{destination=\"orders.eu\"} 1.0")
                .contains("mom_in_flight{destination=\"orders.eu\"} 1.0")
                .contains("mom_consumers{destination=\"orders.eu\"} 2.0")
                .contains("mom_destinations 2.0")
                .contains("mom_http_requests_total{method=\"GET\",route=\"/v1/queues/{name}\",status=\"404\"} 1.0")
                .contains("mom_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/queues/{name}\"} 2")
                .contains("mom_http_request_duration_seconds_sum{method=\"GET\",route=\"/v1/queues/{name}\"} 0.003")
                .contains("mom_store_commit_seconds_count 2")
                .contains("mom_store_commit_seconds_sum 0.006")
                .contains("mom_store_commit_operations_sum 8.0")
                .contains("mom_node_published_total 3.0")
                .contains("mom_node_replication_lag 0")
                .contains("mom_node_insync_replicas 1")
                .contains("jvm_memory_used_bytes{area=\"heap\"}")
                .containsPattern("jvm_memory_pool_used_bytes\\{pool=\"[^\"]+\"}")
                .contains("jvm_threads_current ")
                .contains("jvm_threads_state{state=\"runnable\"}")
                .containsPattern("jvm_gc_collections_total\\{gc=\"[^\"]+\"}");
        assertThat(text.split("# TYPE mom_published_total", -1)).hasSize(2);
        ExternalTools.assertValidPrometheusText(text);
    }

    @Test
    void destinationsBeyondTheCapAreSummedUnderOtherWhileStatsKeepEachOne() throws Exception {
        Setup s = new Setup(2);
        for (String name : List.of("a", "b", "c", "d")) {
            exists(name, 10, 0, 1);
            s.broker.published(name, 1, 1);
        }
        String text = s.scrape();
        assertThat(text).contains("mom_published_total{destination=\"a\"} 1.0")
                .contains("mom_published_total{destination=\"b\"} 1.0")
                .contains("mom_published_total{destination=\"~other\"} 2.0")
                .contains("mom_depth{destination=\"~other\"} 20.0")
                .contains("mom_consumers{destination=\"~other\"} 2.0")
                .contains("mom_metrics_folded_destinations 2.0")
                .doesNotContain("destination=\"c\"").doesNotContain("destination=\"d\"");
        assertThat(s.broker.destinationCounts("c")).containsEntry("published", 1L);
        ExternalTools.assertValidPrometheusText(text);

        // A deletion frees a place, for the next new destination (folded ones stay folded).
        live.removeIf(d -> d.ref().name().equals("a"));
        s.broker.destinationDeleted(DestinationRef.queue("a"), "alice");
        exists("e", 0, 0, 0);
        s.broker.published("e", 1, 1);
        s.broker.published("c", 1, 1);
        text = s.scrape();
        assertThat(text).doesNotContain("destination=\"a\"")
                .contains("mom_published_total{destination=\"e\"} 1.0")
                .contains("mom_published_total{destination=\"~other\"} 3.0")
                .contains("mom_node_published_total 6.0");
    }

    @Test
    void aCapOfThousandsKeepsTheExpositionBounded() throws Exception {
        Setup s = new Setup(50);
        for (int i = 0; i < 3000; i++) {
            exists("q" + i, 1, 0, 0);
            s.broker.published("q" + i, 1, 1);
        }
        String text = s.scrape();
        long publishedSeries = text.lines().filter(l -> l.startsWith("mom_published_total{")).count();
        assertThat(publishedSeries).isEqualTo(51);
        assertThat(text).contains("mom_published_total{destination=\"~other\"} 2950.0")
                .contains("mom_depth{destination=\"~other\"} 2950.0")
                .contains("mom_destinations 3000.0");
    }

    @Test
    void countersOfADestinationThatVanishedWithoutADeleteEventLeaveAfterTwoScrapes() throws Exception {
        Setup s = new Setup(10);
        exists("kept", 0, 0, 0);
        s.broker.published("kept", 1, 1);
        s.broker.published("ghost", 1, 1); // an event racing the deletion of "ghost"
        assertThat(s.scrape()).contains("destination=\"ghost\"");
        assertThat(s.scrape()).doesNotContain("destination=\"ghost\"").contains("destination=\"kept\"");
    }

    @Test
    void nodeRatesAndCountsAreNamedForJson() {
        Setup s = new Setup(10);
        s.broker.published("q", 100, 1000);
        s.broker.acked(SubscriptionRef.queue("q"), 60);
        assertThat(s.broker.nodeCounts()).containsEntry("published", 100L).containsEntry("acked", 60L)
                .containsEntry("deadLettered", 0L).containsEntry("publishedBytes", 1000L);
        assertThat(s.broker.destinationCounts("q")).containsEntry("published", 100L).containsEntry("acked", 60L);
        assertThat(s.broker.nodeRates()).containsKeys("publishedPerSecond", "ackedPerSecond",
                "deadLetteredPerSecond");
        assertThat(s.broker.destinationRates("q")).containsKeys("publishedPerSecond", "deliveredPerSecond");
    }

    @Test
    void unusualHttpMethodsShareOneSeries() throws Exception {
        Setup s = new Setup(10);
        s.http.requestCompleted("BREW", "unmatched", 405, TimeUnit.MILLISECONDS.toNanos(1));
        s.http.requestCompleted("TEAPOT", "unmatched", 405, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(s.scrape()).contains(
                "mom_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"405\"} 2.0");
    }
}
