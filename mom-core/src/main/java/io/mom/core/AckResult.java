package io.mom.core;

import java.util.List;

/**
 * Outcome of an ack or nack.
 *
 * @param applied receipts applied
 * @param invalid receipts not applied: unknown, stale (lease expired) or already used
 */
public record AckResult(int applied, List<String> invalid) {
    public AckResult {
        invalid = List.copyOf(invalid);
    }
}
