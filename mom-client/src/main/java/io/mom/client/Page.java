package io.mom.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items, in name order
 * @param next  the cursor of the following page ({@link ListRequest#after}); empty on the last page
 * @param <T>   item type
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /** True when a following page exists. */
    public boolean hasNext() {
        return next.isPresent();
    }
}
