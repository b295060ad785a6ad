package io.mom.store.rocksdb.bench;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;
import io.mom.store.rocksdb.RocksDbMessageStore;
import io.mom.store.rocksdb.RocksDbStorage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Times {@code recover()} of a store holding N pending messages (default 1,000,000 of 1 KiB, one queue with 4
 * partitions), in a new storage instance after the writer closed. Not a test; run by hand:
 * {@code java -cp <test classpath> io.mom.store.rocksdb.bench.RecoveryBench [dir [count [payloadBytes [recover]]]]}
 * (the directory is emptied and written first, unless the fourth argument is {@code recover}, which only recovers
 * an existing one, for example after dropping the OS page cache; a temporary directory by default, deleted at the
 * end).
 */
public final class RecoveryBench {
    private static final int BATCH = 1000;
    private static final int PARTITIONS = 4;

    private RecoveryBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean recoverOnly = args.length > 3 && args[3].equals("recover");
        Path dir = recoverOnly ? Path.of(args[0]) : BenchSupport.freshDirectory(args, 0, "mom-recovery-bench");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        try {
            if (!recoverOnly) {
                write(dir, count, size);
            }
            for (int run = 1; run <= 2; run++) {
                recover(dir, count, run);
            }
        } finally {
            if (args.length == 0) {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    private static void write(Path dir, int count, int size) throws Exception {
        byte[] pool = BenchSupport.randomPool();
        long start = System.nanoTime();
        try (RocksDbStorage storage = RocksDbStorage.open(dir)) {
            RocksDbMessageStore store = storage.messageStore();
            store.write(List.of(new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE,
                    BenchSupport.QUEUE, "bench", DestinationOptions.builder().partitions(PARTITIONS).build(),
                    Instant.now())))).join();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < count; i += BATCH) {
                List<LogOp> ops = new ArrayList<>(BATCH);
                for (int j = i; j < Math.min(count, i + BATCH); j++) {
                    byte[] payload = BenchSupport.payload(pool, j, size);
                    ops.add(BenchSupport.append(j % PARTITIONS, j / PARTITIONS, payload));
                }
                inFlight.add(store.write(ops));
                if (inFlight.size() >= 8) {
                    inFlight.remove(0).join();
                }
            }
            inFlight.forEach(CompletableFuture::join);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("wrote %,d messages of %d B in %.1f s; store is %,d MiB on disk%n", count, size, seconds,
                BenchSupport.directoryBytes(dir) >> 20);
    }

    private static void recover(Path dir, int expected, int run) {
        long openStart = System.nanoTime();
        try (RocksDbStorage storage = RocksDbStorage.open(dir)) {
            long recoverStart = System.nanoTime();
            Counting counting = new Counting();
            storage.messageStore().recover(counting);
            long end = System.nanoTime();
            if (counting.messages != expected) {
                throw new IllegalStateException("recovered " + counting.messages + " of " + expected);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("run %d: open %.2f s, recover() %.2f s for %,d messages (%,.0f msgs/s, %,d payload "
                            + "bytes); max heap %,d MiB%n", run, (recoverStart - openStart) / 1e9,
                    (end - recoverStart) / 1e9, counting.messages,
                    counting.messages / ((end - recoverStart) / 1e9), counting.bytes, rt.maxMemory() >> 20);
        }
    }

    /** Counts what it is given and keeps nothing, like a broker that pages payloads out. */
    private static final class Counting implements RecoveryVisitor {
        long messages;
        long bytes;

        @Override
        public void destination(DestinationRecord destination) {
        }

        @Override
        public void subscription(SubscriptionRecord subscription) {
        }

        @Override
        public void message(RecoveredMessage message) {
            messages++;
            bytes += message.message().payload().length + message.pending().size();
        }
    }
}
