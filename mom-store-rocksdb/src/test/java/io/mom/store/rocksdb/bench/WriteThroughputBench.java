package io.mom.store.rocksdb.bench;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.store.rocksdb.RocksDbMessageStore;
import io.mom.store.rocksdb.RocksDbStorage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Durable write throughput of the store alone: W writer threads, each appending 1 KiB messages one per
 * {@code write()} call and keeping up to 500 calls in flight; counts completed (synced) writes over a measured
 * period after a warm-up. Not a test; run by hand:
 * {@code java -cp <test classpath> io.mom.store.rocksdb.bench.WriteThroughputBench [writers...]}
 * (default: 1 then 4 writers, each on a fresh temporary directory).
 */
public final class WriteThroughputBench {
    private static final int IN_FLIGHT = 500;
    private static final int SIZE = 1024;
    private static final long WARMUP_MS = 3_000;
    private static final long MEASURE_MS = 10_000;

    private WriteThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] writerCounts = args.length == 0 ? new int[] {1, 4} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            writerCounts[i] = Integer.parseInt(args[i]);
        }
        for (int writers : writerCounts) {
            Path dir = BenchSupport.freshDirectory(new String[0], 0, "mom-write-bench");
            try {
                run(dir, writers);
            } finally {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    private static void run(Path dir, int writers) throws Exception {
        byte[] pool = BenchSupport.randomPool();
        AtomicLong completed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong groups = new AtomicLong();
        AtomicLong groupNanos = new AtomicLong();
        BrokerEvents events = new BrokerEvents() {
            @Override
            public void storeCommitted(int operations, long nanos) {
                groups.incrementAndGet();
                groupNanos.addAndGet(nanos);
            }
        };
        try (RocksDbStorage storage = RocksDbStorage.open(dir, events)) {
            RocksDbMessageStore store = storage.messageStore();
            store.write(List.of(new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE,
                    BenchSupport.QUEUE, "bench", DestinationOptions.builder().partitions(writers).build(),
                    Instant.now())))).join();
            long stopAt = System.currentTimeMillis() + WARMUP_MS + MEASURE_MS;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int partition = w;
                Thread t = new Thread(() -> {
                    Semaphore window = new Semaphore(IN_FLIGHT);
                    for (long seq = 0; System.currentTimeMillis() < stopAt && failure.get() == null; seq++) {
                        window.acquireUninterruptibly();
                        byte[] payload = BenchSupport.payload(pool, seq, SIZE);
                        store.write(List.of(BenchSupport.append(partition, seq, payload))).whenComplete((v, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                            completed.incrementAndGet();
                            window.release();
                        });
                    }
                    window.acquireUninterruptibly(IN_FLIGHT);
                }, "bench-writer-" + w);
                threads.add(t);
                t.start();
            }
            Thread.sleep(WARMUP_MS);
            long startCount = completed.get();
            long startGroups = groups.get();
            long startGroupNanos = groupNanos.get();
            long start = System.nanoTime();
            Thread.sleep(MEASURE_MS);
            long measured = completed.get() - startCount;
            long measuredGroups = groups.get() - startGroups;
            long measuredGroupNanos = groupNanos.get() - startGroupNanos;
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a write failed", failure.get());
            }
            System.out.printf("%d writer(s) x %d in flight, %d B messages: %,.0f msgs/s durable (%,d in %.1f s; "
                            + "%,d group commits, %.0f writes per group, %.2f ms per group write+sync)%n",
                    writers, IN_FLIGHT, SIZE, measured / seconds, measured, seconds, measuredGroups,
                    (double) measured / Math.max(1, measuredGroups), measuredGroupNanos / 1e6 / Math.max(1, measuredGroups));
        }
    }
}
