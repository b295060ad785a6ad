package io.mom.transport.rest;

import java.util.Map;

/**
 * Counts and rates for {@code GET /v1/stats}: counts since start by name (such as {@code published}),
 * rates in messages per second over the last minute (such as {@code publishedPerSecond}); depths and
 * consumers come from the broker itself. Thread-safe.
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

    /** Counts of this node as a whole since it started. */
    default Map<String, Long> nodeCounts() {
        return Map.of();
    }

    /** Rates of one destination; empty when unknown. */
    default Map<String, Double> destinationRates(String destination) {
        return Map.of();
    }

    /** Counts of one destination since this node started (or the destination was created); empty when unknown. */
    default Map<String, Long> destinationCounts(String destination) {
        return Map.of();
    }
}
