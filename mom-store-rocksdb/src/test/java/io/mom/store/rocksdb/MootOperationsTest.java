package io.mom.store.rocksdb;

import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.LogOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mom.store.rocksdb.Fixtures.await;
import static io.mom.store.rocksdb.Fixtures.message;
import static io.mom.store.rocksdb.Fixtures.queue;
import static io.mom.store.rocksdb.Fixtures.subscription;
import static io.mom.store.rocksdb.Fixtures.topic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acks and delivery counts of a message that a later operation of the same group removes are skipped (the removal
 * deletes the message and its marks anyway): the stored result is the same, and a group left without reads is
 * written as a plain batch instead of an indexed one.
 */
class MootOperationsTest {
    @TempDir
    Path dir;

    private final List<Boolean> indexedWrites = new CopyOnWriteArrayList<>();
    private RocksDbStorage storage;

    private void open() {
        storage = RocksDbStorage.open(dir, BrokerEvents.NONE, target -> new LogWriter() {
            @Override
            public void write(AbstractWriteBatch batch, boolean sync) throws RocksDBException {
                indexedWrites.add(batch instanceof WriteBatchWithIndex);
                target.write(batch, sync);
            }

            @Override
            public void syncWal() throws RocksDBException {
                target.syncWal();
            }
        });
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private void write(LogOp... ops) throws Exception {
        await(storage.messageStore().write(List.of(ops)));
    }

    private Fixtures.Recorded restart() {
        storage.close();
        open();
        return Fixtures.recover(storage);
    }

    @Test
    void aDeliveryCountFollowedByTheRemovalOfItsMessageIsWrittenWithoutReads() throws Exception {
        open();
        write(new LogOp.PutDestination(queue("q")), new LogOp.Append(message("q", 0, 0, "gone"), List.of("$queue")),
                new LogOp.Append(message("q", 0, 1, "kept"), List.of("$queue")));
        indexedWrites.clear();

        write(new LogOp.DeliveryCount("q", "$queue", 0, 0, 1), new LogOp.Remove("q", 0, 0));

        assertThat(indexedWrites).containsExactly(false);
        write(new LogOp.DeliveryCount("q", "$queue", 0, 1, 2));
        assertThat(indexedWrites).containsExactly(false, true);
        Fixtures.Recorded r = restart();
        assertThat(r.positions()).containsExactly("q/0/1");
        assertThat(r.pendingOf("q/0/1")).containsEntry("$queue", 2);
    }

    @Test
    void onlyOperationsBeforeTheRemovalAreSkippedAndOthersStillApply() throws Exception {
        open();
        write(new LogOp.PutDestination(topic("t")), new LogOp.PutSubscription(subscription("t", "a")),
                new LogOp.PutSubscription(subscription("t", "b")),
                new LogOp.Append(message("t", 0, 1, "removed"), List.of("a", "b")),
                new LogOp.Append(message("t", 0, 2, "acked by a"), List.of("a", "b")));

        // In one group (the lazy call waits for the next durable one): the ack of t/0/1 is moot, that of t/0/2 not.
        storage.messageStore().writeLazily(List.of(new LogOp.DeliveryCount("t", "a", 0, 1, 3),
                new LogOp.Ack("t", "a", 0, 1)));
        write(new LogOp.Ack("t", "a", 0, 2), new LogOp.DeliveryCount("t", "b", 0, 2, 4), new LogOp.Remove("t", 0, 1),
                new LogOp.DeliveryCount("t", "b", 0, 1, 9));

        Fixtures.Recorded r = restart();
        assertThat(r.positions()).containsExactly("t/0/2");
        assertThat(r.pendingOf("t/0/2")).containsOnlyKeys("b").containsEntry("b", 4);
    }
}
