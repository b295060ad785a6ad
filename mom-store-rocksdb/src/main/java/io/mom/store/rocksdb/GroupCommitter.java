package io.mom.store.rocksdb;

import io.mom.core.Message;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers enqueue operation lists; one writer thread drains everything queued into one batch, writes
 * it with a single sync, and hands the futures to one completion thread, which completes them in call order (so
 * callers' callbacks never delay the next sync). Lazy operations ride along with the next group; when many pile up
 * without a durable write they are written without a sync.
 *
 * <p>After a failed write every queued and later call fails with a {@link StoreException}: the store does not
 * pretend to be durable after an error whose effect on disk is unknown.
 *
 * <p>Threading: {@link #submit} is thread-safe; {@link #close} is idempotent and returns once every accepted call
 * is written and its future completed.
 */
final class GroupCommitter implements AutoCloseable {
    static final int LAZY_FLUSH_CALLS = 1024;
    private static final int MAX_GROUP_CALLS = 8192;
    private static final long MAX_GROUP_BYTES = 16L << 20;
    private static final long CLOSE_WAIT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** One call; {@code future} is null for a lazy one. */
    private record Call(List<LogOp> ops, CompletableFuture<Void> future, long bytes) {
    }

    private final String where;
    private final LogApplier applier;
    private final BrokerEvents events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private final AtomicLong syncs = new AtomicLong();
    private final Thread writer;
    private final ExecutorService completion;
    private volatile Thread completionThread;
    private int durableQueued;
    private int lazyQueued;
    private boolean closing;
    private StoreException failure;

    GroupCommitter(String where, LogApplier applier, BrokerEvents events) {
        this.where = where;
        this.applier = applier;
        this.events = events;
        this.completion = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mom-rocksdb-completion");
            t.setDaemon(true);
            completionThread = t;
            return t;
        });
        this.writer = new Thread(this::run, "mom-rocksdb-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Enqueues a call; the future (null when lazy) completes once it is durable. */
    CompletableFuture<Void> submit(List<LogOp> ops, boolean lazy) {
        List<LogOp> copy = List.copyOf(ops);
        CompletableFuture<Void> future = lazy ? null : new CompletableFuture<>();
        lock.lock();
        try {
            if (closing) {
                StoreException closed = new StoreException("The MOM store in " + where + " is closed");
                if (future != null) {
                    future.completeExceptionally(closed);
                }
                return future;
            }
            if (failure != null) {
                // Through the completion thread, so that it completes after the calls that failed before it.
                StoreException failed = failure;
                if (future != null) {
                    completion.execute(() -> future.completeExceptionally(failed));
                }
                return future;
            }
            queue.add(new Call(copy, future, bytes(copy)));
            if (lazy) {
                lazyQueued++;
            } else {
                durableQueued++;
            }
            if (!lazy || lazyQueued >= LAZY_FLUSH_CALLS) {
                work.signal();
            }
            return future;
        } finally {
            lock.unlock();
        }
    }

    private static long bytes(List<LogOp> ops) {
        long bytes = 64;
        for (LogOp op : ops) {
            if (op instanceof LogOp.Append a) {
                Message m = a.message();
                bytes += m.payload().length + 128;
            } else {
                bytes += 64;
            }
        }
        return bytes;
    }

    long syncCount() {
        return syncs.get();
    }

    private void run() {
        List<Call> group = new ArrayList<>();
        List<List<LogOp>> ops = new ArrayList<>();
        while (true) {
            boolean sync;
            lock.lock();
            try {
                while (!closing && durableQueued == 0 && lazyQueued < LAZY_FLUSH_CALLS) {
                    work.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    syncOnClose();
                    return;
                }
                sync = drain(group) || closing;
            } finally {
                lock.unlock();
            }
            int count = 0;
            for (Call call : group) {
                ops.add(call.ops());
                count += call.ops().size();
            }
            long start = System.nanoTime();
            boolean written = false;
            try {
                if (applier.commit(ops, sync)) {
                    syncs.incrementAndGet();
                }
                written = true;
            } catch (Throwable t) {
                fail(group, t);
            }
            if (written) {
                complete(group, null);
                report(count, System.nanoTime() - start);
            }
            group.clear();
            ops.clear();
        }
    }

    private void report(int operations, long nanos) {
        try {
            events.storeCommitted(operations, nanos);
        } catch (RuntimeException e) {
            LOG.warn("A broker events listener failed on a store commit", e);
        }
    }

    /** Makes lazy operations written without a sync durable before the store closes. */
    private void syncOnClose() {
        if (failure != null) {
            return;
        }
        try {
            if (applier.commit(List.of(), true)) {
                syncs.incrementAndGet();
            }
        } catch (Throwable t) {
            LOG.error("Could not sync the MOM store in {} while closing; lazily written operations may be lost",
                    where, t);
        }
    }

    /** Moves queued calls into the group, within the group limits; true when one of them waits for durability. */
    private boolean drain(List<Call> group) {
        boolean durable = false;
        long bytes = 0;
        while (!queue.isEmpty() && group.size() < MAX_GROUP_CALLS && (group.isEmpty() || bytes < MAX_GROUP_BYTES)) {
            Call call = queue.poll();
            group.add(call);
            bytes += call.bytes();
            if (call.future() == null) {
                lazyQueued--;
            } else {
                durableQueued--;
                durable = true;
            }
        }
        return durable;
    }

    private void fail(List<Call> group, Throwable cause) {
        StoreException error = new StoreException("Cannot write to the MOM store in " + where + " (" + cause
                + "); it refuses further writes until it is reopened", cause);
        LOG.error("Write to the MOM store in {} failed; refusing further writes", where, cause);
        lock.lock();
        try {
            failure = error;
            group.addAll(queue);
            queue.clear();
            durableQueued = 0;
            lazyQueued = 0;
            complete(group, error);
        } finally {
            lock.unlock();
        }
    }

    private void complete(List<Call> group, StoreException error) {
        List<CompletableFuture<Void>> futures = new ArrayList<>(group.size());
        for (Call call : group) {
            if (call.future() != null) {
                futures.add(call.future());
            }
        }
        if (futures.isEmpty()) {
            return;
        }
        completion.execute(() -> {
            for (CompletableFuture<Void> f : futures) {
                if (error == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(error);
                }
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        completion.shutdown();
        if (Thread.currentThread() != completionThread) {
            try {
                if (!completion.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("Callbacks of MOM store writes in {} still running after {} s", where, CLOSE_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
