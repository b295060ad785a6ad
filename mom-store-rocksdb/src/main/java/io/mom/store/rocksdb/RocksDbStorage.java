package io.mom.store.rocksdb;

import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * One RocksDB database in a directory, holding the broker's log ({@link #messageStore()}) and its users
 * ({@link #userStore()}) in separate column families. The write-ahead log is on; durable writes sync it.
 *
 * <p>Lifecycle: {@link #open} creates a new store in an empty or missing directory, or opens an existing MOM
 * store; it refuses (with a {@link StoreException} naming the directory) a directory that is corrupt, unreadable,
 * in use, of a newer format or not a MOM store, and never deletes or repairs anything. {@link #close} first closes
 * the message store (writing everything it accepted), then the database; it is idempotent, and any later use of
 * either adapter fails with a {@link StoreException}.
 *
 * <p>Threading: thread-safe. Closing waits for reads in progress.
 */
public final class RocksDbStorage implements AutoCloseable {
    private final Path directory;
    private final Columns columns;
    private final List<AutoCloseable> resources;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions lazyWrites = new WriteOptions();
    private final LogApplier applier;
    private final RocksDbMessageStore messageStore;
    private final RocksDbUserStore userStore;
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private boolean closed;

    /** A callable that may throw what RocksDB throws. */
    interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    private RocksDbStorage(Path directory, StoreOpener.Opened opened, BrokerEvents events,
                           UnaryOperator<LogWriter> writers) {
        this.directory = directory;
        this.columns = opened.columns();
        this.resources = opened.resources();
        LogWriter writer = writers.apply(LogWriter.direct(columns.db(), syncWrites, lazyWrites));
        this.applier = new LogApplier(columns, writer);
        this.messageStore = new RocksDbMessageStore(this, new GroupCommitter(directory.toString(), applier, events));
        this.userStore = new RocksDbUserStore(this);
    }

    /** Opens or creates the store in {@code directory}. */
    public static RocksDbStorage open(Path directory) {
        return open(directory, BrokerEvents.NONE);
    }

    /** Opens or creates the store in {@code directory}, reporting each group commit to {@code events}. */
    public static RocksDbStorage open(Path directory, BrokerEvents events) {
        return open(directory, events, UnaryOperator.identity());
    }

    /** As {@link #open(Path, BrokerEvents)}, with the group-commit writes going through {@code writers} (tests). */
    static RocksDbStorage open(Path directory, BrokerEvents events, UnaryOperator<LogWriter> writers) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(events, "events");
        Path dir = directory.toAbsolutePath().normalize();
        return new RocksDbStorage(dir, StoreOpener.open(dir), events, writers);
    }

    /** The broker's log, group-committed. Closing it stops writes but leaves the user store usable. */
    public RocksDbMessageStore messageStore() {
        return messageStore;
    }

    public RocksDbUserStore userStore() {
        return userStore;
    }

    public Path directory() {
        return directory;
    }

    Columns columns() {
        return columns;
    }

    WriteOptions syncWrites() {
        return syncWrites;
    }

    /** Runs a read or a synchronous write while the database is open; RocksDB errors become StoreExceptions. */
    <T> T call(String what, RocksCall<T> call) {
        guard.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("The MOM store in " + directory + " is closed");
            }
            return call.call();
        } catch (RocksDBException e) {
            throw new StoreException("Cannot " + what + " in the MOM store in " + directory + ": " + e.getMessage(),
                    e);
        } finally {
            guard.readLock().unlock();
        }
    }

    @Override
    public void close() {
        messageStore.close();
        guard.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            applier.close();
            syncWrites.close();
            lazyWrites.close();
            StoreOpener.closeAll(resources);
        } finally {
            guard.writeLock().unlock();
        }
    }
}
