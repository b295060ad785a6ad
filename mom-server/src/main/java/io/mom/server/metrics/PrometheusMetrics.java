package io.mom.server.metrics;

import com.codahale.metrics.MetricRegistry;
import io.mom.transport.rest.MetricsSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /metrics}: the Dropwizard registry in the Prometheus text format through the official bridge.
 * Destination names (which may contain dots) become a {@code destination} label, HTTP statuses a
 * {@code status} label, so each measurement stays one metric family. Thread-safe.
 */
public final class PrometheusMetrics implements MetricsSource {
    /** Destination names with more dots than this keep their name in the metric name instead. */
    private static final int MAX_DOTS = 8;

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

    public PrometheusMetrics(MetricRegistry registry) {
        DropwizardExports.builder().dropwizardRegistry(registry).customLabelMapper(new CustomLabelMapper(mappings()))
                .register(prometheus);
    }

    static List<MapperConfig> mappings() {
        List<MapperConfig> out = new ArrayList<>();
        List<String> measures = new ArrayList<>(BrokerMetrics.DESTINATION_MEASURES);
        measures.add(BrokerMetrics.CONSUMERS);
        for (String measure : measures) {
            for (int dots = 0; dots <= MAX_DOTS; dots++) {
                StringBuilder match = new StringBuilder("mom.").append(measure).append(".*");
                StringBuilder label = new StringBuilder("${0}");
                for (int i = 1; i <= dots; i++) {
                    match.append(".*");
                    label.append(".${").append(i).append('}');
                }
                out.add(new MapperConfig(match.toString(), "mom_" + measure, Map.of("destination", label.toString())));
            }
        }
        out.add(new MapperConfig("mom.http.requests.*", "mom_http_requests", Map.of("status", "${0}")));
        return out;
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
