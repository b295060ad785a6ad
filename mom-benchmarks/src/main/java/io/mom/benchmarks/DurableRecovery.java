package io.mom.benchmarks;

import io.mom.core.Broker;
import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Identity;
import io.mom.core.OutgoingMessage;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import io.mom.store.rocksdb.RocksDbStorage;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Recovery time at broker start: fills a RocksDB store with N pending messages (default 1,000,000 of 1 KiB, one
 * queue) through the broker, closes it, then times {@code Broker.start()} (store recovery and index rebuild) of a
 * new broker on the same directory with a memory budget of 256 MiB, twice. Not a JMH benchmark (a start-up is a
 * single shot); run it with the JVM's default heap:
 * {@code java -cp mom-benchmarks/target/benchmarks.jar io.mom.benchmarks.DurableRecovery [count [payloadBytes [dir
 * [recover]]]]} (the directory, a temporary one by default, is emptied and filled first, and deleted at the end
 * unless given; with {@code recover} an existing directory is only recovered, for example after dropping the OS
 * page cache with {@code sync; echo 3 > /proc/sys/vm/drop_caches}).
 */
public final class DurableRecovery {
    private static final Identity APP = Identity.user("bench");
    private static final DestinationRef QUEUE = DestinationRef.queue("bench");
    private static final long MEMORY_BUDGET = 256L << 20;
    private static final int BATCH = 1000;
    private static final int BATCHES_IN_FLIGHT = 8;

    private DurableRecovery() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        boolean temporary = args.length <= 2;
        boolean recoverOnly = args.length > 3 && args[3].equals("recover");
        Path dir = temporary ? Files.createTempDirectory("mom-recovery-bench") : Path.of(args[2]);
        try {
            if (!recoverOnly) {
                Directories.delete(dir);
                fill(dir, count, size, out);
            }
            for (int run = 1; run <= 2; run++) {
                recover(dir, count, size, run, out);
            }
        } finally {
            if (temporary) {
                Directories.delete(dir);
            }
        }
    }

    private static void fill(Path dir, int count, int size, PrintStream out) throws Exception {
        Random random = new Random(42);
        long began = System.nanoTime();
        try (RocksDbStorage storage = RocksDbStorage.open(dir);
             Broker broker = Broker.builder().store(storage.messageStore()).memoryBudget(MEMORY_BUDGET).build()
                     .start()) {
            broker.declare(APP, QUEUE, DestinationOptions.DEFAULTS);
            ArrayDeque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
            for (int i = 0; i < count; i += BATCH) {
                List<OutgoingMessage> batch = new ArrayList<>(BATCH);
                for (int j = i; j < Math.min(count, i + BATCH); j++) {
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    batch.add(OutgoingMessage.of(payload));
                }
                inFlight.add(broker.publishAll(APP, QUEUE, batch));
                if (inFlight.size() >= BATCHES_IN_FLIGHT) {
                    inFlight.poll().join();
                }
            }
            inFlight.forEach(CompletableFuture::join);
        }
        out.printf("filled %,d messages of %d B through the broker in %.1f s; store is %,d MiB on disk%n", count, size,
                (System.nanoTime() - began) / 1e9, Directories.bytes(dir) >> 20);
    }

    private static void recover(Path dir, int count, int size, int run, PrintStream out) {
        System.gc();
        long began = System.nanoTime();
        try (RocksDbStorage storage = RocksDbStorage.open(dir);
             Broker broker = Broker.builder().store(storage.messageStore()).memoryBudget(MEMORY_BUDGET).build()) {
            long opened = System.nanoTime();
            broker.start();
            long started = System.nanoTime();
            long depth = broker.describe(QUEUE).depth();
            if (depth != count) {
                throw new IllegalStateException("recovered " + depth + " of " + count + " messages");
            }
            System.gc();
            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            // The first message is delivered with its payload (read back from the store if it was paged out).
            List<Delivery> first = broker.receive(APP, SubscriptionRef.queue(QUEUE.name()),
                    ReceiveRequest.of(1, Duration.ofSeconds(5))).join();
            if (first.size() != 1 || first.get(0).message().payload().length != size) {
                throw new IllegalStateException("the first recovered message was not delivered whole");
            }
            out.printf("run %d: store opened in %.2f s, Broker.start() %.2f s for %,d messages (%,.0f msgs/s); "
                            + "heap after GC %,d MiB of max %,d MiB%n", run, (opened - began) / 1e9,
                    (started - opened) / 1e9, depth, depth / ((started - opened) / 1e9), heapUsed >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
