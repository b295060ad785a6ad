package io.mom.benchmarks;

import io.mom.core.Broker;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Identity;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-VM broker throughput, the shape of the peer figures: 1 producer publishing one 1 KiB message per
 * call with up to 500 unconfirmed publishes in flight; consumers with a prefetch of 500 that ack each
 * delivery (or auto-ack). The score is publishes per second; the {@code delivered} counter is the
 * consumer side, which is what the targets are stated in.
 *
 * <p>Run: {@code java -jar mom-benchmarks/target/benchmarks.jar InVmThroughput}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class InVmThroughput {
    static final Identity APP = Identity.user("bench");

    /**
     * queue-autoack; queue-ack (the listener acks each delivery on the delivering thread);
     * queue-ack-thread (the listener hands each delivery to a consumer thread, which acks what it has
 * received in one call per wake-up, as client libraries batch acks);
     * fanout4 (topic, 4 subscriptions, auto-ack).
     */
    @Param({"queue-autoack", "queue-ack", "queue-ack-thread", "fanout4"})
    public String shape;

    Broker broker;
    Thread consumerThread;
    DestinationRef destination;
    final Semaphore unconfirmed = new Semaphore(500);
    final AtomicLong delivered = new AtomicLong();
    final byte[] payload = new byte[1024];

    /** Counts deliveries per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries {
        long last;
        public long delivered;

        @Setup(Level.Iteration)
        public void reset(InVmThroughput bench) {
            last = bench.delivered.get();
            delivered = 0;
        }

        @TearDown(Level.Iteration)
        public void read(InVmThroughput bench) {
            delivered = bench.delivered.get() - last;
        }
    }

    @Setup(Level.Trial)
    public void start() {
        broker = Broker.builder().build().start();
        boolean fanout = shape.equals("fanout4");
        boolean ack = shape.startsWith("queue-ack");
        boolean threaded = shape.equals("queue-ack-thread");
        destination = fanout ? DestinationRef.topic("bench") : DestinationRef.queue("bench");
        broker.declare(APP, destination, DestinationOptions.DEFAULTS);
        int consumers = fanout ? 4 : 1;
        for (int i = 0; i < consumers; i++) {
            SubscriptionRef sub = fanout ? SubscriptionRef.topic("bench", "s" + i) : SubscriptionRef.queue("bench");
            if (fanout) {
                broker.subscribe(APP, sub, SubscriptionOptions.DEFAULTS);
            }
            ConsumerOptions options = ack ? ConsumerOptions.clientAck(500) : ConsumerOptions.autoAck(500);
            if (threaded) {
                BlockingQueue<Delivery> handOff = new ArrayBlockingQueue<>(1000);
                consumerThread = new Thread(() -> ackLoop(handOff, sub), "bench-consumer");
                consumerThread.setDaemon(true);
                consumerThread.start();
                broker.consume(APP, sub, options, handOff::add);
                continue;
            }
            broker.consume(APP, sub, options, new DeliveryListener() {
                @Override
                public void onDelivery(Delivery d) {
                    delivered.incrementAndGet();
                    if (ack) {
                        broker.ack(APP, sub, List.of(d.receipt().orElseThrow()));
                    }
                }
            });
        }
    }

    private void ackLoop(BlockingQueue<Delivery> handOff, SubscriptionRef sub) {
        try {
            List<Delivery> batch = new ArrayList<>(500);
            List<String> receipts = new ArrayList<>(500);
            while (!Thread.currentThread().isInterrupted()) {
                batch.add(handOff.take());
                handOff.drainTo(batch);
                for (Delivery d : batch) {
                    receipts.add(d.receipt().orElseThrow());
                }
                delivered.addAndGet(batch.size());
                broker.ack(APP, sub, List.copyOf(receipts));
                batch.clear();
                receipts.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (consumerThread != null) {
            consumerThread.interrupt();
        }
        broker.close();
    }

    @Benchmark
    public void publish(Deliveries counter) throws InterruptedException {
        unconfirmed.acquire();
        broker.publish(APP, destination, OutgoingMessage.of(payload)).whenComplete((r, e) -> unconfirmed.release());
    }
}
