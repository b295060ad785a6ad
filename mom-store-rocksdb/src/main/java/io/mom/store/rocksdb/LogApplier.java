package io.mom.store.rocksdb;

import io.mom.core.Message;
import io.mom.core.spi.LogOp;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a group of {@link LogOp} lists into RocksDB writes: one write batch; an indexed one when the group has
 * operations that read (acks and delivery counts update the pending marks of a message), so that they see what
 * earlier operations of the group wrote, and a plain one otherwise (cheaper: publishes and removals only). Range
 * deletes (a deleted destination) are not supported by an indexed batch: the batch so far and the range deletes
 * are written first, unsynced, and the group goes on in a new batch; the group's final write syncs them all.
 *
 * <p>Threading: confined to the group-commit writer thread.
 */
final class LogApplier implements AutoCloseable {
    private final Columns c;
    private final LogWriter out;
    private final ReadOptions reads = new ReadOptions();
    private final WriteBatchWithIndex indexed = new WriteBatchWithIndex(true);
    private final WriteBatch plain = new WriteBatch();
    private AbstractWriteBatch batch = plain;
    private boolean unsynced;

    LogApplier(Columns columns, LogWriter out) {
        this.c = columns;
        this.out = out;
    }

    /**
     * Applies the calls in order and writes them; with {@code sync}, everything written so far is durable when
     * this returns. Returns true when it synced the log.
     */
    boolean commit(List<List<LogOp>> calls, boolean sync) throws RocksDBException {
        Map<MessageKey, Integer> removals = removals(calls);
        batch = needsReads(calls, removals) ? indexed : plain;
        try {
            int position = 0;
            for (List<LogOp> ops : calls) {
                for (LogOp op : ops) {
                    if (!moot(op, position, removals)) {
                        apply(op);
                    }
                    position++;
                }
            }
            if (batch.count() > 0) {
                out.write(batch, sync);
                unsynced = !sync;
                return sync;
            }
            if (sync && unsynced) {
                out.syncWal();
                unsynced = false;
                return true;
            }
            return false;
        } finally {
            batch.clear();
        }
    }

    private static boolean needsReads(List<List<LogOp>> calls, Map<MessageKey, Integer> removals) {
        int position = 0;
        for (List<LogOp> ops : calls) {
            for (LogOp op : ops) {
                if (op instanceof LogOp.DeleteSubscription
                        || (op instanceof LogOp.Ack || op instanceof LogOp.DeliveryCount) && !moot(op, position, removals)) {
                    return true;
                }
                position++;
            }
        }
        return false;
    }

    /** A stored message, as named by the operations. */
    private record MessageKey(String destination, int partition, long sequence) {
    }

    /** The position in the group of the last removal of each message removed by the group. */
    private static Map<MessageKey, Integer> removals(List<List<LogOp>> calls) {
        Map<MessageKey, Integer> last = null;
        int position = 0;
        for (List<LogOp> ops : calls) {
            for (LogOp op : ops) {
                if (op instanceof LogOp.Remove r) {
                    if (last == null) {
                        last = new HashMap<>();
                    }
                    last.put(new MessageKey(r.destination(), r.partition(), r.sequence()), position);
                }
                position++;
            }
        }
        return last == null ? Map.of() : last;
    }

    /**
     * True for an ack or a delivery count of a message that a later operation of the same group removes: the
     * removal deletes the message and all its marks whatever they were, so the read-modify-write of the marks
     * can be skipped. With a consumer that acks promptly most delivery counts are of this kind, and a group
     * without any read left is written as a plain batch.
     */
    private static boolean moot(LogOp op, int position, Map<MessageKey, Integer> removals) {
        if (removals.isEmpty()) {
            return false;
        }
        MessageKey key;
        if (op instanceof LogOp.DeliveryCount d) {
            key = new MessageKey(d.destination(), d.partition(), d.sequence());
        } else if (op instanceof LogOp.Ack a) {
            key = new MessageKey(a.destination(), a.partition(), a.sequence());
        } else {
            return false;
        }
        Integer removedAt = removals.get(key);
        return removedAt != null && removedAt > position;
    }

    private void apply(LogOp op) throws RocksDBException {
        if (op instanceof LogOp.Append a) {
            Message m = a.message();
            byte[] key = Keys.message(m.destination(), m.partition(), m.sequence());
            batch.put(c.messages(), key, MessageCodec.encode(m));
            batch.put(c.pending(), key, PendingMarks.initial(a.subscriptions()));
        } else if (op instanceof LogOp.Remove r) {
            forget(Keys.message(r.destination(), r.partition(), r.sequence()));
        } else if (op instanceof LogOp.Ack a) {
            ack(Keys.message(a.destination(), a.partition(), a.sequence()), a.subscription());
        } else if (op instanceof LogOp.DeliveryCount d) {
            deliveryCount(Keys.message(d.destination(), d.partition(), d.sequence()), d.subscription(), d.count());
        } else if (op instanceof LogOp.PutDestination p) {
            batch.put(c.catalog(), Keys.destinationRecord(p.destination().name()),
                    RecordCodec.destination(p.destination()));
        } else if (op instanceof LogOp.PutSubscription p) {
            batch.put(c.catalog(), Keys.subscriptionRecord(p.subscription().topic(), p.subscription().name()),
                    RecordCodec.subscription(p.subscription()));
        } else if (op instanceof LogOp.DeleteSubscription d) {
            batch.delete(c.catalog(), Keys.subscriptionRecord(d.topic(), d.subscription()));
            release(d.topic(), d.subscription());
        } else if (op instanceof LogOp.DeleteDestination d) {
            deleteDestination(d.name());
        } else {
            throw new IllegalArgumentException("unknown log operation " + op.getClass().getName());
        }
    }

    private void forget(byte[] key) throws RocksDBException {
        batch.delete(c.messages(), key);
        batch.delete(c.pending(), key);
    }

    private Map<String, Integer> marks(byte[] key) throws RocksDBException {
        byte[] value = indexed.getFromBatchAndDB(c.db(), c.pending(), reads, key);
        return value == null ? null : PendingMarks.decode(value, "pending marks");
    }

    private void ack(byte[] key, String subscription) throws RocksDBException {
        Map<String, Integer> marks = marks(key);
        if (marks == null) {
            return;
        }
        boolean removed = marks.remove(subscription) != null;
        if (marks.isEmpty()) {
            forget(key);
        } else if (removed) {
            batch.put(c.pending(), key, PendingMarks.encode(marks));
        }
    }

    private void deliveryCount(byte[] key, String subscription, int count) throws RocksDBException {
        Map<String, Integer> marks = marks(key);
        if (marks == null) {
            return;
        }
        Integer previous = marks.get(subscription);
        // Only a subscription that still needs the message has a count; counts never go back.
        if (previous != null && previous < count) {
            marks.put(subscription, count);
            batch.put(c.pending(), key, PendingMarks.encode(marks));
        }
    }

    /** Drops a deleted subscription's marks from every message of its topic (and messages no one needs any more). */
    private void release(String topic, String subscription) throws RocksDBException {
        byte[] start = Keys.destinationStart(topic);
        List<byte[]> keys = new ArrayList<>();
        List<Map<String, Integer>> updated = new ArrayList<>();
        try (RocksIterator it = indexed.newIteratorWithBase(c.pending(), c.db().newIterator(c.pending(), reads),
                reads)) {
            for (it.seek(start); it.isValid() && Keys.startsWith(it.key(), start); it.next()) {
                Map<String, Integer> marks = PendingMarks.decode(it.value(), "pending marks");
                if (marks.remove(subscription) != null) {
                    keys.add(it.key());
                    updated.add(marks);
                }
            }
            it.status();
        }
        for (int i = 0; i < keys.size(); i++) {
            if (updated.get(i).isEmpty()) {
                forget(keys.get(i));
            } else {
                batch.put(c.pending(), keys.get(i), PendingMarks.encode(updated.get(i)));
            }
        }
    }

    private void deleteDestination(String name) throws RocksDBException {
        if (batch.count() > 0) {
            out.write(batch, false);
            unsynced = true;
            batch.clear();
        }
        byte[] start = Keys.destinationStart(name);
        byte[] end = Keys.destinationEnd(name);
        try (WriteBatch ranges = new WriteBatch()) {
            ranges.deleteRange(c.messages(), start, end);
            ranges.deleteRange(c.pending(), start, end);
            ranges.delete(c.catalog(), Keys.destinationRecord(name));
            ranges.deleteRange(c.catalog(), Keys.subscriptionsStart(name), Keys.subscriptionsEnd(name));
            out.write(ranges, false);
            unsynced = true;
        }
    }

    @Override
    public void close() {
        indexed.close();
        plain.close();
        reads.close();
    }
}
