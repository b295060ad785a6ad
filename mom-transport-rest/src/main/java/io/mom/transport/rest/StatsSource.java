package io.mom.transport.rest;

import java.util.Map;

/**
 * Rates for {@code GET /v1/stats} (messages per second over the last minute, by name such as
 * {@code published}); depths and consumers come from the broker itself. Thread-safe.
 */
public interface StatsSource {
    StatsSource NONE = new StatsSource() {
        @Override
        public Map<String, Double> nodeRates() {
            return Map.of();
        }
    };

    /** Rates of this node as a whole. */
    Map<String, Double> nodeRates();

    /** Rates of one destination; empty when unknown. */
    default Map<String, Double> destinationRates(String destination) {
        return Map.of();
    }
}
