package io.mom.core;

import java.util.Optional;

/**
 * What happens to the pending messages of a deleted destination.
 *
 * @param transferTo where to republish them; absent means drop
 */
public record DeletePolicy(Optional<DestinationRef> transferTo) {
    public static DeletePolicy drop() {
        return new DeletePolicy(Optional.empty());
    }

    public static DeletePolicy transferTo(DestinationRef target) {
        return new DeletePolicy(Optional.of(target));
    }
}
