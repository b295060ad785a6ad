package io.mom.client;

import java.util.List;

/**
 * Outcome of an ack or nack.
 *
 * @param applied receipts applied
 * @param invalid receipts not applied: unknown, already used, or whose lease expired (acking those never
 *                touches a later redelivery of the same message)
 */
public record AckResult(int applied, List<String> invalid) {
    public AckResult {
        invalid = List.copyOf(invalid);
    }

    /** True when every receipt was applied. */
    public boolean allApplied() {
        return invalid.isEmpty();
    }
}
