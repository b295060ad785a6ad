package io.mom.store.mongo;

import io.mom.core.spi.LogOp;
import io.mom.core.spi.StoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mom.store.mongo.TestData.append;
import static io.mom.store.mongo.TestData.queue;
import static io.mom.store.mongo.TestData.recover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How concurrent writes are grouped, ordered, isolated from each other's failures and flushed at close. */
class GroupCommitTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedMongo mongo;
    private MongoStoreSettings settings;
    private MongoMessageStore store;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @BeforeEach
    void openStore() throws Exception {
        settings = mongo.settings("group_" + DATABASES.incrementAndGet());
        store = MongoMessageStore.open(settings);
        recover(store);
        store.write(List.of(queue("q"))).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void concurrentWritesQueuedDuringACommitShareOneBulkWrite() throws Exception {
        store.pauseWrites(true);
        int writers = 4;
        int perWriter = 250;
        List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long base = w * 1_000L;
            threads.add(new Thread(() -> {
                for (long i = 0; i < perWriter; i++) {
                    futures.add(store.write(List.of(append("q", base + i, "$queue"))));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(store.queuedWrites()).isEqualTo(writers * perWriter);
        long before = store.groupCommits();

        store.pauseWrites(false);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(store.groupCommits() - before).isEqualTo(1);
        store.close();
        store = MongoMessageStore.open(settings);
        assertThat(recover(store).messages).hasSize(writers * perWriter);
    }

    @Test
    void eachGroupCommitIsReportedToTheEventsListenerWithItsOperations() throws Exception {
        store.close();
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        store = MongoMessageStore.open(settings, new io.mom.core.spi.BrokerEvents() {
            @Override
            public void storeCommitted(int operations, long took) {
                batches.add(operations);
                nanos.add(took);
            }
        });
        recover(store);
        store.pauseWrites(true);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(store.write(List.of(append("q", 100 + i, "$queue"))));
        }
        store.pauseWrites(false);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(batches).containsExactly(10);
        assertThat(nanos).allMatch(n -> n > 0);
    }

    @Test
    void futuresCompleteInCallOrderOnTheCompletionThread() throws Exception {
        store.pauseWrites(true);
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int call = i;
            // Alternate message writes and catalog writes: order holds across collections too.
            LogOp op = i % 2 == 0 ? append("q", i, "$queue") : queue("q" + i);
            futures.add(store.write(List.of(op)).thenRun(() -> {
                completed.add(call);
                threads.add(Thread.currentThread().getName());
            }));
        }

        store.pauseWrites(false);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(completed).isSorted().hasSize(300);
        assertThat(threads).allMatch(name -> name.startsWith("mom-mongo-completer-"));
    }

    @Test
    void aCallWithAnUnwritableDocumentFailsAloneWhileTheOthersOfItsGroupAreWritten() throws Exception {
        store.pauseWrites(true);
        CompletableFuture<Void> before = store.write(List.of(append("q", 1, "$queue")));
        byte[] tooLarge = new byte[17 * 1024 * 1024];
        CompletableFuture<Void> huge = store.write(List.of(new LogOp.Append(
                TestData.message("q", 0, 2, tooLarge), List.of("$queue"))));
        CompletableFuture<Void> after = store.write(List.of(append("q", 3, "$queue")));

        store.pauseWrites(false);

        before.get(30, TimeUnit.SECONDS);
        after.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> huge.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class);
        store.close();
        store = MongoMessageStore.open(settings);
        assertThat(recover(store).sequences()).containsExactly(1L, 3L);
    }

    @Test
    void closeWritesEverythingQueuedBeforeReturning() throws Exception {
        store.pauseWrites(true);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(store.write(List.of(append("q", i, "$queue"))));
        }
        store.writeLazily(List.of(new LogOp.DeliveryCount("q", "$queue", 0, 0, 4)));

        store.close();

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        store = MongoMessageStore.open(settings);
        TestData.Recovered r = recover(store);
        assertThat(r.messages).hasSize(100);
        assertThat(r.messages.get(0).pending()).containsEntry("$queue", 4);
    }

    @Test
    void writesAfterCloseFailWithAStoreException() {
        store.close();

        CompletableFuture<Void> late = store.write(List.of(append("q", 1, "$queue")));

        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(late::join).cause().isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }
}
