package io.mom.core.internal;

import io.mom.core.PublishResult;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Producer-chosen message ids seen by a destination within the window. A repeated id answers with
 * the first publish's outcome (once that one is durable). Guarded by the destination lock.
 */
final class DedupWindow {
    private record Seen(String id, long atMs) {
    }

    private final long windowMs;
    private final Map<String, CompletableFuture<PublishResult>> byId = new HashMap<>();
    private final ArrayDeque<Seen> order = new ArrayDeque<>();

    DedupWindow(long windowMs) {
        this.windowMs = windowMs;
    }

    /** The outcome of an earlier publish of this id, or null. */
    CompletableFuture<PublishResult> find(String id, long nowMs) {
        purge(nowMs);
        return byId.get(id);
    }

    void remember(String id, long atMs, CompletableFuture<PublishResult> outcome) {
        if (byId.put(id, outcome) == null) {
            order.addLast(new Seen(id, atMs));
        }
    }

    /** Forgets an id whose publish failed, so that a retry stores it. */
    void forget(String id) {
        byId.remove(id);
    }

    void purge(long nowMs) {
        while (!order.isEmpty() && order.peekFirst().atMs() + windowMs <= nowMs) {
            byId.remove(order.pollFirst().id());
        }
    }
}
