package io.mom.client;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a destination listing to fetch: names starting with {@code prefix}, at most
 * {@code limit} items, after {@code cursor} (the {@link Page#next()} of the previous page).
 * Absent values are left to the server (all names, its default page size, the first page).
 *
 * <pre>{@code
 * Page<DestinationInfo> page = client.list(DestinationType.QUEUE, ListRequest.first(100).withPrefix("orders."));
 * }</pre>
 *
 * @param prefix name prefix
 * @param limit  page size, 1..1000
 * @param cursor where the page starts
 */
public record ListRequest(Optional<String> prefix, Optional<Integer> limit, Optional<String> cursor) {

    /** The first page of everything, with the server's default page size. */
    public static final ListRequest ALL = new ListRequest(Optional.empty(), Optional.empty(), Optional.empty());

    public ListRequest {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(cursor, "cursor");
        limit.ifPresent(l -> {
            if (l < 1) {
                throw new IllegalArgumentException("limit must be positive: " + l);
            }
        });
    }

    /** The first page of at most {@code limit} items. */
    public static ListRequest first(int limit) {
        return ALL.withLimit(limit);
    }

    /** This request restricted to names starting with {@code prefix}. */
    public ListRequest withPrefix(String prefix) {
        return new ListRequest(Optional.of(prefix), limit, cursor);
    }

    /** This request with a page size. */
    public ListRequest withLimit(int limit) {
        return new ListRequest(prefix, Optional.of(limit), cursor);
    }

    /** The page after the given cursor, same prefix and size. */
    public ListRequest after(String cursor) {
        return new ListRequest(prefix, limit, Optional.of(cursor));
    }
}
