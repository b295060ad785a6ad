package io.mom.server.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.mom.transport.rest.RequestListener;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Per-endpoint request metrics of the REST API: a timer per method and route template (such as
 * {@code POST /v1/queues/{name}/messages}), and a count per method, route and status. Routes are
 * templates, never concrete paths, so the series stay as few as the API's endpoints.
 *
 * <p>Thread-safe and non-blocking, as {@link RequestListener} requires.
 */
public final class HttpMetrics implements RequestListener {
    /** Methods kept as they are; any other is counted as {@code OTHER}, so clients cannot add series. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final MetricFamily<SummedTimer> latency;
    private final MetricFamily<Meter> requests;

    public HttpMetrics(MetricRegistry registry) {
        latency = new MetricFamily<>(registry, "mom_http_request_duration_seconds",
                "Time to answer an HTTP request, per endpoint", MetricFamily.Kind.SUMMARY,
                List.of("method", "route"), SummedTimer::new);
        requests = new MetricFamily<>(registry, "mom_http_requests", "HTTP requests per endpoint and status",
                MetricFamily.Kind.COUNTER, List.of("method", "route", "status"), Meter::new);
    }

    List<MetricFamily<?>> families() {
        return List.of(latency, requests);
    }

    @Override
    public void requestCompleted(String method, int status, long nanos) {
        requestCompleted(method, UNMATCHED, status, nanos);
    }

    @Override
    public void requestCompleted(String method, String route, int status, long nanos) {
        method = METHODS.contains(method) ? method : "OTHER";
        latency.get(method, route).update(nanos, TimeUnit.NANOSECONDS);
        requests.get(method, route, Integer.toString(status)).mark();
    }
}
