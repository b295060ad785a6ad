package io.mom.server.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.mom.transport.rest.MetricsSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code /metrics}: the Dropwizard registry in the Prometheus text format. Node-wide metrics
 * ({@code mom.node.*}) go through the official Dropwizard bridge; the JVM's through {@link JvmMetrics}
 * (lint-clean names, pools and collectors as labels); labelled families (per destination, per REST endpoint
 * and gRPC method, store commits) through {@link LabelledFamilies}, which turns each into one Prometheus
 * family with labels (the bridge's label mapper in this version fails a scrape with
 * "duplicate metric name" as soon as two Dropwizard metrics map to one family); the broker's current
 * depths and consumers through {@link DestinationGauges}. Thread-safe.
 */
public final class PrometheusMetrics implements MetricsSource {
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * @param gauges the broker's state per destination; may be null (no such gauges, for tests)
     */
    public PrometheusMetrics(MetricRegistry registry, BrokerMetrics broker, HttpMetrics http, GrpcMetrics grpc,
                             MultiCollector gauges) {
        if (gauges != null) {
            prometheus.register(gauges); // first: its scrape drops the counters of vanished destinations
        }
        MetricFilter plain = (name, metric) -> !MetricFamily.isMemberName(name) && !name.startsWith(JvmMetrics.PREFIX);
        DropwizardExports.builder().dropwizardRegistry(registry).metricFilter(plain).register(prometheus);
        prometheus.register(JvmMetrics.collector(registry));
        LabelledFamilies labelled = new LabelledFamilies();
        DestinationLabels labels = broker.labels();
        for (MetricFamily<?> f : broker.families()) {
            if (f.labelNames().equals(java.util.List.of("destination"))) {
                labelled.add(f, values -> values.get(0).equals(DestinationLabels.OTHER)
                        || labels.isNamed(values.get(0)));
            } else {
                labelled.add(f);
            }
        }
        http.families().forEach(labelled::add);
        grpc.families().forEach(labelled::add);
        prometheus.register(labelled);
    }

    @Override
    public String contentType() {
        return writer.getContentType();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, prometheus.scrape());
    }
}
