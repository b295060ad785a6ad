package io.mom.store.rocksdb;

import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.StoreException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The broker's log in RocksDB, obtained from {@link RocksDbStorage#messageStore()}.
 *
 * <p>Writes are group-committed: any number of concurrent {@link #write} calls share one synced write batch,
 * written by one writer thread; their futures complete in call order on one completion thread (callbacks attached
 * without an executor run there and must not block for long: they delay the completion of later writes, though
 * not the next sync). {@link #writeLazily} operations ride along with the next group. The operations of one call
 * are applied atomically (one write batch), except around a destination deletion, whose range deletes are written
 * just before the rest of the group (all synced together).
 *
 * <p>Failures: a failed write completes its future with a {@link StoreException}, and so does every later write:
 * reopen the storage to go on. {@link #recover} and {@link #readPayload} throw {@link StoreException}.
 *
 * <p>Lifecycle: {@link #close} is idempotent and returns once every accepted write is durable and completed;
 * writes after it fail. It does not close the {@link RocksDbStorage}.
 */
public final class RocksDbMessageStore implements MessageStore {
    private final RocksDbStorage storage;
    private final GroupCommitter committer;

    RocksDbMessageStore(RocksDbStorage storage, GroupCommitter committer) {
        this.storage = storage;
        this.committer = committer;
    }

    @Override
    public void recover(RecoveryVisitor visitor) {
        storage.call("recover", () -> {
            StoreRecovery.run(storage.columns(), visitor);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> write(List<LogOp> ops) {
        return committer.submit(ops, false);
    }

    @Override
    public void writeLazily(List<LogOp> ops) {
        committer.submit(ops, true);
    }

    @Override
    public Optional<byte[]> readPayload(String destination, int partition, long sequence) {
        byte[] key = Keys.message(destination, partition, sequence);
        byte[] value = storage.call("read a payload", () -> storage.columns().db().get(storage.columns().messages(),
                key));
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(MessageCodec.payload(value, "message " + destination + "/" + partition + "/" + sequence));
    }

    /** Synced group commits so far (each makes one or more writes durable). */
    long syncCount() {
        return committer.syncCount();
    }

    @Override
    public void close() {
        committer.close();
    }

    @Override
    public String toString() {
        return "RocksDbMessageStore[" + storage.directory() + "]";
    }
}
