/** Metrics of the server: broker events to Dropwizard, Dropwizard to Prometheus text. */
package io.mom.server.metrics;
