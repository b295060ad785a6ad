package io.mom.store.rocksdb;

import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mom.store.rocksdb.Fixtures.await;
import static io.mom.store.rocksdb.Fixtures.message;
import static io.mom.store.rocksdb.Fixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Group commit: batching, completion order and thread, lazy writes, and failure. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private ControlledWriter writer;
    private RocksDbStorage storage;
    private RocksDbMessageStore store;

    @BeforeEach
    void open() throws Exception {
        storage = RocksDbStorage.open(dir, BrokerEvents.NONE, w -> writer = new ControlledWriter(w));
        store = storage.messageStore();
        await(store.write(List.of(new LogOp.PutDestination(queue("q")))));
        writer.writes.clear();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static List<LogOp> append(int partition, long sequence) {
        return List.of(new LogOp.Append(message("q", partition, sequence, "m" + sequence), List.of("$queue")));
    }

    private Fixtures.Recorded reopen() {
        storage.close();
        storage = RocksDbStorage.open(dir);
        return Fixtures.recover(storage);
    }

    @Test
    void aThousandConcurrentWritesQueuedBehindASyncShareOneSync() throws Exception {
        long before = store.syncCount();
        writer.holdNextWrite();
        CompletableFuture<Void> first = store.write(append(0, 0));
        writer.awaitHeld();
        List<CompletableFuture<Void>> rest = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int partition = t + 1;
            threads.add(new Thread(() -> {
                for (long s = 0; s < 250; s++) {
                    rest.add(store.write(append(partition, s)));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        writer.release();
        await(first);
        CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(store.syncCount() - before).isEqualTo(2);
        assertThat(writer.writes).containsExactly(true, true);
        assertThat(reopen().messages).hasSize(1001);
    }

    @Test
    void futuresCompleteInCallOrderOnTheCompletionThread() throws Exception {
        writer.holdNextWrite();
        store.write(append(0, 0));
        writer.awaitHeld();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> callbacks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int call = i;
            callbacks.add(store.write(append(1, i)).thenRun(() -> {
                order.add(call);
                threads.add(Thread.currentThread().getName());
            }));
        }

        writer.release();
        CompletableFuture.allOf(callbacks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertThat(order).isEqualTo(expected);
        assertThat(threads).containsOnly("mom-rocksdb-completion");
    }

    @Test
    void aSlowCallbackDoesNotDelayTheNextSync() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch releaseCallback = new CountDownLatch(1);
        writer.holdNextWrite();
        CompletableFuture<Void> slow = store.write(append(0, 0)).thenRun(() -> {
            inCallback.countDown();
            try {
                releaseCallback.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.awaitHeld();
        writer.release();
        assertThat(inCallback.await(30, TimeUnit.SECONDS)).isTrue();
        long syncs = store.syncCount();

        CompletableFuture<Void> next = store.write(append(0, 1));

        await().atMost(30, TimeUnit.SECONDS).until(() -> store.syncCount() > syncs);
        assertThat(next).isNotDone();
        releaseCallback.countDown();
        await(next);
        await(slow);
    }

    @Test
    void lazyOperationsRideAlongWithTheNextDurableWrite() throws Exception {
        store.writeLazily(List.of(new LogOp.Append(message("q", 0, 0, "lazy"), List.of("$queue"))));
        store.writeLazily(List.of(new LogOp.DeliveryCount("q", "$queue", 0, 0, 2)));

        await(store.write(append(0, 1)));

        assertThat(writer.writes).containsExactly(true);
        Fixtures.Recorded r = reopen();
        assertThat(r.pendingOf("q/0/0")).containsExactly(Map.entry("$queue", 2));
        assertThat(r.positions()).containsExactly("q/0/0", "q/0/1");
    }

    @Test
    void manyLazyOperationsAreWrittenWithoutASyncAndSyncedAtClose() {
        long syncs = store.syncCount();
        for (int i = 0; i < GroupCommitter.LAZY_FLUSH_CALLS; i++) {
            store.writeLazily(append(0, i));
        }

        await().atMost(30, TimeUnit.SECONDS).until(() -> !writer.writes.isEmpty());
        assertThat(writer.writes).containsOnly(false);
        assertThat(store.syncCount()).isEqualTo(syncs);

        store.close();

        assertThat(writer.writes).last().isEqualTo(true);
        assertThat(store.syncCount()).isEqualTo(syncs + 1);
    }

    @Test
    void closeWritesLazyOperationsDurably() {
        store.writeLazily(List.of(new LogOp.Append(message("q", 0, 5, "lazy"), List.of("$queue"))));

        store.close();

        assertThat(writer.writes).containsExactly(true);
        assertThat(reopen().positions()).containsExactly("q/0/5");
    }

    @Test
    void aFailedSyncFailsItsWritesAndEveryLaterOne() throws Exception {
        await(store.write(append(0, 0)));
        writer.failFromNowOn();

        CompletableFuture<Void> failed = store.write(append(0, 1));

        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("injected I/O error").hasMessageContaining("refuses further writes");
        CompletableFuture<Void> later = store.write(append(0, 2));
        assertThatThrownBy(() -> later.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class);
        assertThat(reopen().positions()).containsExactly("q/0/0");
    }

    @Test
    void writesAfterCloseFail() {
        store.close();

        assertThat(store.write(append(0, 0))).isCompletedExceptionally();
        assertThatThrownBy(() -> store.write(append(0, 0)).join()).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }
}
