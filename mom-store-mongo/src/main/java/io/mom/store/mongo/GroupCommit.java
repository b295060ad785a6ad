package io.mom.store.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.WriteModel;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.StoreException;
import org.bson.BsonSerializationException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: calls queue up while the previous group is being written; one writer thread turns
 * everything queued into one ordered bulk write per collection (catalog first, then messages), and a
 * completion thread completes the futures in call order, so callers' continuations never run on the
 * writer.
 *
 * <p>Threading: {@link #submit} is thread-safe. If a group fails because of one call's data (a write
 * error, a document too large), the calls are retried one by one so that only the culprit fails; any
 * other failure (server unreachable, write concern not met) fails every call of the group with a
 * {@link StoreException}. {@link #close} waits for everything queued.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Most operations in one group (the driver further splits bulk writes to fit its message size). */
    static final int MAX_GROUP_OPS = 10_000;
    private static final int DUPLICATE_KEY = 11000;
    private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);

    /** One call of write; {@code future} is null for a lazy write. */
    private record Call(List<LogOp> ops, CompletableFuture<Void> future) {
    }

    private final MongoConnection connection;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> catalog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private boolean closed;
    private boolean paused;
    private final Thread writer;
    private final ExecutorService completer;
    private final AtomicLong groups = new AtomicLong();
    private final BrokerEvents events;

    GroupCommit(MongoConnection connection, MongoCollection<Document> messages, MongoCollection<Document> catalog,
                String name, BrokerEvents events) {
        this.connection = connection;
        this.events = events;
        this.messages = messages;
        this.catalog = catalog;
        this.completer = Executors.newSingleThreadExecutor(r -> daemon(r, "mom-mongo-completer-" + name));
        this.writer = daemon(this::run, "mom-mongo-writer-" + name);
        writer.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues a call; the future (null when {@code lazy}) completes once the group holding it is written. */
    CompletableFuture<Void> submit(List<LogOp> ops, boolean lazy) {
        CompletableFuture<Void> future = lazy ? null : new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                if (lazy) {
                    log.warn("event=mongo_lazy_write_after_close store={} ops={}", connection.describe(), ops.size());
                    return null;
                }
                return CompletableFuture.failedFuture(
                        new StoreException("MongoDB store " + connection.describe() + " is closed"));
            }
            queue.add(new Call(List.copyOf(ops), future));
            ready.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Group commits written so far (each is at most one bulk write per collection). */
    long groups() {
        return groups.get();
    }

    /** Test seam: while paused the writer lets calls queue up. */
    void pause(boolean pause) {
        lock.lock();
        try {
            paused = pause;
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Calls waiting for the writer. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Call> nextGroup() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() || (paused && !closed)) {
                if (closed && queue.isEmpty()) {
                    return List.of();
                }
                ready.await();
            }
            List<Call> group = new ArrayList<>();
            int ops = 0;
            while (!queue.isEmpty() && (group.isEmpty() || ops + queue.peek().ops().size() <= MAX_GROUP_OPS)) {
                Call c = queue.poll();
                ops += c.ops().size();
                group.add(c);
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<Call> group;
            try {
                group = nextGroup();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (group.isEmpty()) {
                return;
            }
            RuntimeException[] outcomes = new RuntimeException[group.size()];
            try {
                commit(group, outcomes);
            } catch (Throwable t) {
                log.error("event=mongo_group_commit_crashed store={} error={}", connection.describe(), t.toString(), t);
                Arrays.fill(outcomes, new StoreException("MongoDB store write failed unexpectedly", t));
            }
            completer.execute(() -> complete(group, outcomes));
        }
    }

    private void commit(List<Call> group, RuntimeException[] outcomes) {
        RuntimeException failure = write(group);
        if (failure == null) {
            return;
        }
        if (group.size() > 1 && causedByOneCall(failure)) {
            // Replaying the group in order is safe (every model is idempotent in sequence), so each call
            // gets its own outcome and only the culprit fails.
            for (int i = 0; i < group.size(); i++) {
                RuntimeException own = write(List.of(group.get(i)));
                outcomes[i] = own == null ? null : connection.failure("write", own);
            }
            return;
        }
        StoreException e = connection.failure("write", failure);
        Arrays.fill(outcomes, e);
    }

    private static boolean causedByOneCall(RuntimeException e) {
        return (e instanceof MongoBulkWriteException b && !b.getWriteErrors().isEmpty())
                || e instanceof BsonSerializationException;
    }

    /** Writes the calls as one bulk write per collection; returns the failure, or null. */
    private RuntimeException write(List<Call> calls) {
        BulkPlan plan = new BulkPlan();
        long start = System.nanoTime();
        try {
            for (Call c : calls) {
                plan.add(c.ops());
            }
            if (!plan.catalog.isEmpty()) {
                catalog.bulkWrite(plan.catalog, ORDERED);
            }
            writeMessages(plan.messages);
            groups.incrementAndGet();
            long nanos = System.nanoTime() - start;
            report(plan.operations(), nanos);
            if (log.isDebugEnabled()) {
                log.debug("event=mongo_group_commit calls={} ops={} micros={}", calls.size(), plan.operations(),
                        nanos / 1000);
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private void report(int operations, long nanos) {
        try {
            events.storeCommitted(operations, nanos);
        } catch (RuntimeException e) {
            log.warn("event=events_listener_failed store={} error={}", connection.describe(), e.toString());
        }
    }

    /**
     * One ordered bulk write; an insert that meets a duplicate key stopped the bulk there, so it is turned
     * into a replacement and the bulk resumes from it.
     */
    private void writeMessages(List<WriteModel<Document>> models) {
        int from = 0;
        while (from < models.size()) {
            try {
                messages.bulkWrite(models.subList(from, models.size()), ORDERED);
                return;
            } catch (MongoBulkWriteException e) {
                if (e.getWriteErrors().isEmpty()) {
                    throw e;
                }
                BulkWriteError first = e.getWriteErrors().get(0);
                int at = from + first.getIndex();
                if (first.getCode() != DUPLICATE_KEY || !(models.get(at) instanceof InsertOneModel<Document> insert)) {
                    throw e;
                }
                models.set(at, BulkPlan.replacing(insert));
                from = at;
            }
        }
    }

    private void complete(List<Call> group, RuntimeException[] outcomes) {
        for (int i = 0; i < group.size(); i++) {
            Call c = group.get(i);
            RuntimeException failure = outcomes[i];
            if (c.future() == null) {
                if (failure != null) {
                    log.warn("event=mongo_lazy_write_failed store={} ops={} error={}", connection.describe(),
                            c.ops().size(), failure.getMessage());
                }
            } else if (failure == null) {
                c.future().complete(null);
            } else {
                c.future().completeExceptionally(failure);
            }
        }
    }

    /** Stops taking calls, writes everything queued, completes every future; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ready.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            writer.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        completer.shutdown();
        try {
            if (!completer.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("event=mongo_completer_slow store={}", connection.describe());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
