package io.mom.transport.rest;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the body of {@code GET /metrics} (the server adapts its metrics registry to the Prometheus
 * text format). Thread-safe; called on a worker thread per scrape.
 */
public interface MetricsSource {
    MetricsSource NONE = new MetricsSource() {
        @Override
        public String contentType() {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void writeTo(OutputStream out) {
        }
    };

    String contentType();

    void writeTo(OutputStream out) throws IOException;
}
