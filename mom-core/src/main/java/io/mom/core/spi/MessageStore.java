package io.mom.core.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The broker's durable log: catalog (destinations, subscriptions) and messages with their acks.
 *
 * <p>Threading: {@link #write} is thread-safe and is called concurrently by many producers and
 * consumers; a durable adapter group-commits (many calls share one sync). Futures of writes complete
 * in the order of the calls, once the operations are durable; a failed write completes its future
 * exceptionally and applies none of its operations where the store can ensure it. {@link #recover}
 * is called once, before any write.
 */
public interface MessageStore extends AutoCloseable {

    /** Reads everything back. Throws {@link StoreException} when the data cannot be read. */
    void recover(RecoveryVisitor visitor);

    /** Appends operations, in order; completes when they are durable. */
    CompletableFuture<Void> write(List<LogOp> ops);

    /**
     * Appends operations without waiting for durability (lazy delivery counts). They become durable
     * with a later {@link #write} or at close.
     */
    default void writeLazily(List<LogOp> ops) {
        write(ops);
    }

    /** The payload of a stored message, for payloads the broker did not keep in memory. */
    Optional<byte[]> readPayload(String destination, int partition, long sequence);

    /** Flushes and releases resources; idempotent. Pending writes complete before it returns. */
    @Override
    void close();
}
