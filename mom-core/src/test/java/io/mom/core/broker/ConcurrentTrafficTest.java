package io.mom.core.broker;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many producers and acking consumers on real threads: every message is delivered, none is lost,
 * none reaches an acking consumer twice (nothing is nacked and no lease expires here).
 */
class ConcurrentTrafficTest {
    static final int PRODUCERS = 4;
    static final int CONSUMERS = 4;
    static final int PER_PRODUCER = 100_000;
    static final Identity APP = Identity.user("app");

    final Broker broker = Broker.builder().build().start();

    @AfterEach
    void close() {
        broker.close();
    }

    /** Counts deliveries per message number and acks in batches, like a real client. */
    final class Counting implements DeliveryListener {
        final AtomicIntegerArray seen;
        final SubscriptionRef from;
        final ConcurrentLinkedQueue<String> toAck = new ConcurrentLinkedQueue<>();
        final AtomicLong count = new AtomicLong();

        Counting(AtomicIntegerArray seen, SubscriptionRef from) {
            this.seen = seen;
            this.from = from;
        }

        @Override
        public void onDelivery(Delivery d) {
            seen.incrementAndGet(ByteBuffer.wrap(d.message().payload()).getInt());
            toAck.add(d.receipt().orElseThrow());
            count.incrementAndGet();
            if (toAck.size() >= 64) {
                flush();
            }
        }

        void flush() {
            List<String> batch = new ArrayList<>();
            String r;
            while ((r = toAck.poll()) != null) {
                batch.add(r);
            }
            if (!batch.isEmpty()) {
                broker.ack(APP, from, batch).thenAccept(res -> assertThat(res.invalid()).isEmpty());
            }
        }
    }

    private void produce(DestinationRef to) throws InterruptedException {
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int base = p * PER_PRODUCER;
            producers.add(new Thread(() -> {
                Semaphore inFlight = new Semaphore(500);
                for (int i = 0; i < PER_PRODUCER; i++) {
                    inFlight.acquireUninterruptibly();
                    byte[] payload = ByteBuffer.allocate(4).putInt(base + i).array();
                    CompletableFuture<?> f = broker.publish(APP, to, OutgoingMessage.of(payload));
                    f.whenComplete((v, e) -> inFlight.release());
                }
            }, "producer-" + p));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join();
        }
    }

    @Test
    void fourProducersAndFourAckingConsumersOnAQueueLoseNothingAndDuplicateNothing() throws Exception {
        DestinationRef q = DestinationRef.queue("load");
        broker.declare(APP, q, DestinationOptions.DEFAULTS);
        AtomicIntegerArray seen = new AtomicIntegerArray(PRODUCERS * PER_PRODUCER);
        List<Counting> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            Counting counting = new Counting(seen, SubscriptionRef.queue("load"));
            consumers.add(counting);
            broker.consume(APP, SubscriptionRef.queue("load"), ConsumerOptions.clientAck(500), counting);
        }

        produce(q);

        await().atMost(Duration.ofMinutes(2)).until(() -> {
            consumers.forEach(Counting::flush);
            return broker.describe(q).depth() == 0;
        });
        for (int i = 0; i < seen.length(); i++) {
            assertThat(seen.get(i)).as("deliveries of message %d", i).isEqualTo(1);
        }
        assertThat(consumers).allSatisfy(c -> assertThat(c.count.get()).isPositive());
    }

    @Test
    void aTopicWithThreeSubscriptionsDeliversEveryMessageOnceToEach() throws Exception {
        DestinationRef t = DestinationRef.topic("fan");
        broker.declare(APP, t, DestinationOptions.DEFAULTS);
        List<AtomicIntegerArray> perSubscription = new ArrayList<>();
        List<Counting> consumers = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            SubscriptionRef sub = SubscriptionRef.topic("fan", "s" + s);
            broker.subscribe(APP, sub, SubscriptionOptions.DEFAULTS);
            AtomicIntegerArray seen = new AtomicIntegerArray(PRODUCERS * PER_PRODUCER);
            perSubscription.add(seen);
            for (int c = 0; c < 2; c++) {
                Counting counting = new Counting(seen, sub);
                consumers.add(counting);
                broker.consume(APP, sub, ConsumerOptions.clientAck(500), counting);
            }
        }

        produce(t);

        await().atMost(Duration.ofMinutes(2)).until(() -> {
            consumers.forEach(Counting::flush);
            return broker.describe(t).depth() == 0;
        });
        for (AtomicIntegerArray seen : perSubscription) {
            for (int i = 0; i < seen.length(); i++) {
                assertThat(seen.get(i)).as("deliveries of message %d", i).isEqualTo(1);
            }
        }
    }
}
