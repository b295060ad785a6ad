package io.mom.core;

/**
 * Limits enforced before any state changes.
 *
 * @param maxPayloadBytes      largest payload (decoded bytes)
 * @param maxBatch             most messages in one publish
 * @param maxHeaders           most headers on one message
 * @param maxReceiveBytes      most payload bytes returned by one receive
 */
public record Limits(int maxPayloadBytes, int maxBatch, int maxHeaders, long maxReceiveBytes) {
    public static final Limits DEFAULTS = new Limits(1 << 20, 1000, 256, 16L << 20);

    public Limits {
        if (maxPayloadBytes < 1 || maxBatch < 1 || maxHeaders < 0 || maxReceiveBytes < 1) {
            throw MomException.invalid("limits must be positive");
        }
    }
}
