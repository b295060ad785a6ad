/**
 * Metrics of the server (FR-25): broker events, REST requests and gRPC calls to Dropwizard metrics
 * ({@link io.mom.server.metrics.BrokerMetrics}, {@link io.mom.server.metrics.HttpMetrics},
 * {@link io.mom.server.metrics.GrpcMetrics}), the JVM's gauges, and all of it as Prometheus text for
 * {@code /metrics} ({@link io.mom.server.metrics.PrometheusMetrics}) with destinations, routes and methods as
 * labels; per-destination series are capped (the rest summed under {@code destination="~other"}).
 */
package io.mom.server.metrics;
