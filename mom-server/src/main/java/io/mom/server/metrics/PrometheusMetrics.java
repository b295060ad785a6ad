package io.mom.server.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.mom.transport.rest.MetricsSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code /metrics}: the Dropwizard registry in the Prometheus text format. Node-wide and JVM metrics go
 * through the official Dropwizard bridge; per-destination and per-status metrics go through
 * {@link LabelledFamilies}, which folds {@code mom.<measure>.<destination>} into one family with a
 * {@code destination} label (the bridge's label mapper in this version fails a scrape with "duplicate
 * metric name" as soon as two Dropwizard metrics map to one family). Thread-safe.
 */
public final class PrometheusMetrics implements MetricsSource {
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusMetrics(MetricRegistry registry) {
        LabelledFamilies labelled = new LabelledFamilies(registry);
        MetricFilter rest = (name, metric) -> !labelled.covers(name);
        DropwizardExports.builder().dropwizardRegistry(registry).metricFilter(rest).register(prometheus);
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
