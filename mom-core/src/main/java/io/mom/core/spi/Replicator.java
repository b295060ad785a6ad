package io.mom.core.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Ships ordered batches of log operations of a destination to its in-sync replicas.
 * Thread-safe; futures complete once every in-sync replica has applied the batch durably.
 */
public interface Replicator {
    /** The single-node replicator: nothing to ship. */
    Replicator NONE = (destination, ops) -> CompletableFuture.completedFuture(null);

    /** Ships operations of one destination (they carry their partitions). */
    CompletableFuture<Void> replicate(String destination, List<LogOp> ops);
}
