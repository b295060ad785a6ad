package io.mom.store.rocksdb;

import io.mom.core.Message;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.StoreException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a store back in the order {@link RecoveryVisitor} promises: destinations, subscriptions, then messages by
 * destination, partition and sequence (their key order). Messages and pending marks share keys, so two plain
 * iterators advance side by side; reads bypass the block cache and read ahead, since every block is read once.
 *
 * <p>Threading: runs on the caller's thread; stateless.
 */
final class StoreRecovery {
    private static final long READAHEAD_BYTES = 4L << 20;
    private static final int MIN_MESSAGE_KEY = 13;

    private StoreRecovery() {
    }

    static void run(Columns c, RecoveryVisitor visitor) throws RocksDBException {
        try (ReadOptions reads = new ReadOptions().setFillCache(false).setReadaheadSize(READAHEAD_BYTES)) {
            catalog(c, reads, visitor);
            messages(c, reads, visitor);
        }
    }

    private static void catalog(Columns c, ReadOptions reads, RecoveryVisitor visitor) throws RocksDBException {
        try (RocksIterator it = c.db().newIterator(c.catalog(), reads)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key.length > 1 && key[0] == Keys.DESTINATION) {
                    visitor.destination(RecordCodec.destination(Keys.destinationName(key), it.value()));
                } else if (key.length > 2 && key[0] == Keys.SUBSCRIPTION) {
                    String[] names = Keys.subscriptionName(key);
                    visitor.subscription(RecordCodec.subscription(names[0], names[1], it.value()));
                } else {
                    throw new StoreException("Corrupt catalog in the RocksDB store: unexpected key "
                            + new String(key, StandardCharsets.UTF_8));
                }
            }
            it.status();
        }
    }

    private static void messages(Columns c, ReadOptions reads, RecoveryVisitor visitor) throws RocksDBException {
        try (RocksIterator messages = c.db().newIterator(c.messages(), reads);
             RocksIterator pending = c.db().newIterator(c.pending(), reads)) {
            pending.seekToFirst();
            byte[] name = null;
            String destination = null;
            for (messages.seekToFirst(); messages.isValid(); messages.next()) {
                byte[] key = messages.key();
                if (key.length < MIN_MESSAGE_KEY || key[Keys.nameLength(key)] != 0) {
                    throw new StoreException("Corrupt message key in the RocksDB store ("
                            + key.length + " bytes)");
                }
                int nameLength = Keys.nameLength(key);
                // Decode each destination name once, not once per message.
                if (name == null || !Arrays.equals(name, 0, name.length, key, 0, nameLength)) {
                    name = Arrays.copyOf(key, nameLength);
                    destination = new String(name, StandardCharsets.UTF_8);
                }
                Map<String, Integer> marks = Map.of();
                while (pending.isValid()) {
                    int order = Arrays.compareUnsigned(pending.key(), key);
                    if (order > 0) {
                        break;
                    }
                    if (order == 0) {
                        marks = PendingMarks.decodeImmutable(pending.value(), "pending marks");
                    }
                    pending.next();
                }
                Message m = MessageCodec.decode(destination, Keys.partition(key), Keys.sequence(key),
                        messages.value());
                visitor.message(new RecoveredMessage(m, marks));
            }
            messages.status();
            pending.status();
        }
    }
}
