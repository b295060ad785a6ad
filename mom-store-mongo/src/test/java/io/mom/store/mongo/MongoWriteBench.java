package io.mom.store.mongo;

import io.mom.core.Message;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Write throughput of {@link MongoMessageStore}: one writer appending 1 KiB messages with up to 500
 * writes in flight, against the in-process mongo-java-server (memory backend), so the figure measures
 * the adapter and the driver, not a real MongoDB's storage engine or replication.
 *
 * <p>Run: {@code java -cp <test classpath> io.mom.store.mongo.MongoWriteBench [messages] [inFlight]}.
 */
public final class MongoWriteBench {
    private MongoWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        try (EmbeddedMongo mongo = new EmbeddedMongo();
             MongoMessageStore store = MongoMessageStore.open(mongo.settings("bench"))) {
            store.recover(new TestData.Recovered());
            store.write(List.of(TestData.queue("bench"))).get(10, TimeUnit.SECONDS);
            run(store, 0, messages / 5, inFlight);
            long groupsBefore = store.groupCommits();
            long start = System.nanoTime();
            run(store, messages / 5, messages, inFlight);
            double seconds = (System.nanoTime() - start) / 1e9;
            long groups = store.groupCommits() - groupsBefore;
            System.out.printf("messages=%d payload=1KiB inFlight=%d seconds=%.2f throughput=%.0f msg/s "
                            + "groupCommits=%d avgWritesPerGroup=%.1f%n", messages, inFlight, seconds,
                    messages / seconds, groups, messages / (double) Math.max(1, groups));
        }
    }

    private static void run(MessageStore store, long from, long count, int inFlight) throws Exception {
        byte[] payload = new byte[1024];
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (long seq = from; seq < from + count; seq++) {
            window.acquire();
            Message m = new Message("bench-" + seq, "bench", 0, seq, payload, Map.of(), Optional.empty(), "bench",
                    TestData.T0, Optional.empty());
            store.write(List.of(new LogOp.Append(m, List.of("$queue")))).whenComplete((v, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                window.release();
            });
        }
        window.acquire(inFlight);
        window.release(inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("a write failed", failure.get());
        }
    }
}
