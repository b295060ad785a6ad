package io.mom.client;

import java.util.Objects;
import java.util.Optional;

/**
 * What the server does with the pending messages of a deleted destination: drop them (the default)
 * or republish them once to another existing destination.
 *
 * @param transferTo name of the queue or topic that receives the pending messages; empty to drop them
 */
public record DeletePolicy(Optional<String> transferTo) {
    public DeletePolicy {
        Objects.requireNonNull(transferTo, "transferTo");
    }

    /** Drop the pending messages. */
    public static DeletePolicy drop() {
        return new DeletePolicy(Optional.empty());
    }

    /** Republish the pending messages to the existing destination named {@code target}. */
    public static DeletePolicy transferTo(String target) {
        return new DeletePolicy(Optional.of(target));
    }
}
