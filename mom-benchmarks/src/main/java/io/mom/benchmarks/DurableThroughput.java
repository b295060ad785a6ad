package io.mom.benchmarks;

import io.mom.core.Broker;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Identity;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import io.mom.store.rocksdb.RocksDbStorage;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable embedded throughput: a broker on the RocksDB store (every publish and every ack acknowledged only once
 * its group commit is fsynced), memory budget 256 MiB. One producer publishes one 1 KiB message per call with up
 * to 500 unconfirmed publishes in flight; one consumer with a prefetch of 500 acks every delivery. The score is
 * confirmed publishes per second; {@code delivered} counts the consumer side, {@code groupCommits} and
 * {@code storeOperations} the store's group commits and the operations they wrote, {@code storeBusyMicros} the
 * writer's time in them (per second of the iteration).
 *
 * <p>Shapes: {@code ack} (the listener acks on the delivering thread) and {@code ack-thread} (the listener hands
 * each delivery to a consumer thread that acks it, as an application would).
 *
 * <p>Run: {@code java -jar mom-benchmarks/target/benchmarks.jar DurableThroughput} (the store is a fresh
 * temporary directory per trial, in {@code java.io.tmpdir}; pass {@code -jvmArgsAppend -Djava.io.tmpdir=...}
 * to measure another disk).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class DurableThroughput {
    static final Identity APP = Identity.user("bench");
    static final SubscriptionRef SUBSCRIPTION = SubscriptionRef.queue("bench");
    static final long MEMORY_BUDGET = 256L << 20;

    @Param({"ack", "ack-thread"})
    public String shape;

    Path directory;
    RocksDbStorage storage;
    Broker broker;
    Thread consumerThread;
    final Semaphore unconfirmed = new Semaphore(500);
    final AtomicLong delivered = new AtomicLong();
    byte[] payload;

    final AtomicLong groupCommits = new AtomicLong();
    final AtomicLong storeOperations = new AtomicLong();
    final AtomicLong storeNanos = new AtomicLong();

    /**
     * Per-second rates over an iteration: deliveries, the store's group commits and the operations they wrote;
     * {@code storeBusyMicros} is the time spent writing groups (fsync included) per second, in microseconds.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries {
        long lastDelivered;
        long lastGroups;
        long lastOperations;
        long lastNanos;
        public long delivered;
        public long groupCommits;
        public long storeOperations;
        public long storeBusyMicros;

        @Setup(Level.Iteration)
        public void reset(DurableThroughput bench) {
            lastDelivered = bench.delivered.get();
            lastGroups = bench.groupCommits.get();
            lastOperations = bench.storeOperations.get();
            lastNanos = bench.storeNanos.get();
            delivered = 0;
            groupCommits = 0;
            storeOperations = 0;
            storeBusyMicros = 0;
        }

        @TearDown(Level.Iteration)
        public void read(DurableThroughput bench) {
            delivered = bench.delivered.get() - lastDelivered;
            groupCommits = bench.groupCommits.get() - lastGroups;
            storeOperations = bench.storeOperations.get() - lastOperations;
            storeBusyMicros = (bench.storeNanos.get() - lastNanos) / 1000;
        }
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        payload = new byte[1024];
        new Random(42).nextBytes(payload); // incompressible, like most payloads
        directory = Files.createTempDirectory("mom-durable-bench");
        storage = RocksDbStorage.open(directory, new BrokerEvents() {
            @Override
            public void storeCommitted(int operations, long nanos) {
                groupCommits.incrementAndGet();
                storeOperations.addAndGet(operations);
                storeNanos.addAndGet(nanos);
            }
        });
        broker = Broker.builder().store(storage.messageStore()).memoryBudget(MEMORY_BUDGET).build().start();
        broker.declare(APP, DestinationRef.queue("bench"), DestinationOptions.DEFAULTS);
        ConsumerOptions options = ConsumerOptions.clientAck(500);
        if (shape.equals("ack-thread")) {
            BlockingQueue<Delivery> handOff = new ArrayBlockingQueue<>(1000);
            consumerThread = new Thread(() -> ackLoop(handOff), "bench-consumer");
            consumerThread.setDaemon(true);
            consumerThread.start();
            broker.consume(APP, SUBSCRIPTION, options, handOff::add);
        } else {
            broker.consume(APP, SUBSCRIPTION, options, d -> {
                delivered.incrementAndGet();
                broker.ack(APP, SUBSCRIPTION, List.of(d.receipt().orElseThrow()));
            });
        }
    }

    private void ackLoop(BlockingQueue<Delivery> handOff) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Delivery d = handOff.take();
                delivered.incrementAndGet();
                broker.ack(APP, SUBSCRIPTION, List.of(d.receipt().orElseThrow()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (consumerThread != null) {
            consumerThread.interrupt();
            try {
                consumerThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        broker.close();
        storage.close();
        Directories.delete(directory);
    }

    @Benchmark
    public void publish(Deliveries counter) throws InterruptedException {
        unconfirmed.acquire();
        broker.publish(APP, DestinationRef.queue("bench"), OutgoingMessage.of(payload))
                .whenComplete((r, e) -> unconfirmed.release());
    }
}
