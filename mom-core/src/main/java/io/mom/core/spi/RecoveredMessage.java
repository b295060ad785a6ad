package io.mom.core.spi;

import io.mom.core.Message;

import java.util.Map;
import java.util.Objects;

/**
 * A message found in the store at recovery.
 *
 * @param message the message
 * @param pending for each subscription that has not acked it yet, its last persisted delivery count
 *                (0 if never delivered or never persisted)
 */
public record RecoveredMessage(Message message, Map<String, Integer> pending) {
    public RecoveredMessage {
        Objects.requireNonNull(message, "message");
        pending = Map.copyOf(pending);
    }
}
