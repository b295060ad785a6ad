package io.mom.store.rocksdb;

import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * Where the group-commit writer puts its batches: the database, or (in tests) a wrapper that delays or fails.
 * Called by the single writer thread only.
 */
interface LogWriter {

    /** Writes a {@link WriteBatch} or {@link WriteBatchWithIndex}; with {@code sync}, returns once it is on disk. */
    void write(AbstractWriteBatch batch, boolean sync) throws RocksDBException;

    /** Makes every earlier unsynced write durable. */
    void syncWal() throws RocksDBException;

    /** Writes straight to the database with the given write options (owned by the caller). */
    static LogWriter direct(RocksDB db, WriteOptions sync, WriteOptions noSync) {
        return new LogWriter() {
            @Override
            public void write(AbstractWriteBatch batch, boolean durable) throws RocksDBException {
                WriteOptions options = durable ? sync : noSync;
                if (batch instanceof WriteBatchWithIndex indexed) {
                    db.write(options, indexed);
                } else {
                    db.write(options, (WriteBatch) batch);
                }
            }

            @Override
            public void syncWal() throws RocksDBException {
                db.syncWal();
            }
        };
    }
}
