package io.mom.server.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the per-destination series of {@code /metrics}: the first {@code cap} destinations seen get a
 * series of their own (their name as the {@code destination} label); every later one is folded into the
 * single label value {@link #OTHER}. The choice sticks until the destination is deleted, so a counter
 * never moves from one series to another; a deletion frees a place for the next new destination.
 *
 * <p>Thread-safe: lookups of known destinations are lock-free; admissions are serialized.
 */
final class DestinationLabels {
    /**
     * Label of the folded destinations. {@code ~} cannot appear in a destination name, so it never collides
     * with a real one.
     */
    static final String OTHER = "~other";

    private final int cap;
    private final ConcurrentHashMap<String, Boolean> decided = new ConcurrentHashMap<>();
    private int named;

    /** @param cap destinations with a series of their own; 0 folds them all */
    DestinationLabels(int cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap must be >= 0");
        }
        this.cap = cap;
    }

    int cap() {
        return cap;
    }

    /** The label of this destination: its own name, or {@link #OTHER}. Admits it when there is room. */
    String label(String destination) {
        Boolean own = decided.get(destination);
        if (own == null) {
            own = admit(destination);
        }
        return own ? destination : OTHER;
    }

    /** True if the destination has a series of its own (without admitting it). */
    boolean isNamed(String destination) {
        return Boolean.TRUE.equals(decided.get(destination));
    }

    private synchronized boolean admit(String destination) {
        Boolean own = decided.get(destination);
        if (own != null) {
            return own;
        }
        boolean room = named < cap;
        if (room) {
            named++;
        }
        decided.put(destination, room);
        return room;
    }

    /** Forgets a deleted destination, freeing its place. */
    synchronized void release(String destination) {
        Boolean own = decided.remove(destination);
        if (Boolean.TRUE.equals(own)) {
            named--;
        }
    }

    /** Every destination with a decided label. */
    Set<String> known() {
        return Set.copyOf(decided.keySet());
    }

    /** Destinations currently folded into {@link #OTHER}. */
    synchronized int folded() {
        return decided.size() - named;
    }

    synchronized int namedCount() {
        return named;
    }
}
