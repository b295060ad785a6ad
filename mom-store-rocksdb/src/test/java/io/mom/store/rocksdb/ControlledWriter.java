package io.mom.store.rocksdb;

import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDBException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogWriter} wrapper for tests: records each write's sync flag, can hold the next write until released
 * (so that calls pile up behind it), and can fail every write from some point on.
 */
final class ControlledWriter implements LogWriter {
    private final LogWriter target;
    final List<Boolean> writes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;
    private volatile CountDownLatch hold;
    private volatile boolean failing;

    ControlledWriter(LogWriter target) {
        this.target = target;
    }

    /** The next write blocks until {@link #release()}; {@link #awaitHeld()} returns once it is blocked. */
    void holdNextWrite() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        hold = release;
    }

    void awaitHeld() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no write arrived");
        }
    }

    void release() {
        release.countDown();
    }

    void failFromNowOn() {
        failing = true;
    }

    @Override
    public void write(AbstractWriteBatch batch, boolean sync) throws RocksDBException {
        CountDownLatch held = hold;
        if (held != null) {
            hold = null;
            entered.countDown();
            try {
                if (!held.await(30, TimeUnit.SECONDS)) {
                    throw new RocksDBException("held write was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RocksDBException("interrupted");
            }
        }
        if (failing) {
            throw new RocksDBException("injected I/O error");
        }
        writes.add(sync);
        target.write(batch, sync);
    }

    @Override
    public void syncWal() throws RocksDBException {
        if (failing) {
            throw new RocksDBException("injected I/O error");
        }
        writes.add(true);
        target.syncWal();
    }
}
