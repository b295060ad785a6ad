package io.mom.server.cluster;

import io.mom.core.AckMode;
import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.FlowControl;
import io.mom.core.Message;
import io.mom.core.MomException;
import io.mom.core.ErrorCode;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The merged push consumer of a partitioned destination, on fake partition consumers. */
class SpreadConsumerTest {
    private static final SubscriptionRef QUEUE = SubscriptionRef.queue("orders");

    /** A partition's consumer: records grants and closes, and lets the test push deliveries. */
    private static final class FakePartition implements Consumer {
        final int partition;
        final DeliveryListener listener;
        int granted;
        boolean closed;
        private long sequence;

        FakePartition(int partition, DeliveryListener listener) {
            this.partition = partition;
            this.listener = listener;
        }

        synchronized void deliver() {
            SubscriptionRef shard = Shards.ref(QUEUE, partition);
            long seq = sequence++;
            Message m = new Message(partition + "-" + seq, shard.destination().name(), 0, seq, new byte[0], Map.of(),
                    Optional.empty(), "alice", Instant.EPOCH, Optional.empty());
            listener.onDelivery(new Delivery(shard, m, 1, Optional.of("r" + seq)));
        }

        @Override
        public long id() {
            return partition + 1;
        }

        @Override
        public SubscriptionRef subscription() {
            return Shards.ref(QUEUE, partition);
        }

        @Override
        public synchronized void grant(int credits) {
            granted += credits;
        }

        @Override
        public CompletableFuture<AckResult> ack(List<String> receipts) {
            return CompletableFuture.completedFuture(new AckResult(receipts.size(), List.of()));
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class Recorder implements DeliveryListener {
        final List<Delivery> deliveries = new ArrayList<>();
        final List<CloseReason> closes = new ArrayList<>();

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void onClosed(CloseReason reason) {
            closes.add(reason);
        }
    }

    private final List<FakePartition> partitions = new ArrayList<>();
    private final Recorder client = new Recorder();

    private SpreadConsumer open(ConsumerOptions options, int count) {
        return SpreadConsumer.open(QUEUE, options, client, count,
                receipts -> CompletableFuture.completedFuture(new AckResult(receipts.size(), List.of())),
                (p, listener) -> {
                    FakePartition fake = new FakePartition(p, listener);
                    partitions.add(fake);
                    return fake;
                });
    }

    @Test
    void deliveriesShowTheClientsDestinationTheirPartitionAndAReceiptNamingIt() {
        open(ConsumerOptions.clientAck(10), 3);
        partitions.get(2).deliver();

        Delivery d = client.deliveries.get(0);
        assertThat(d.subscription()).isEqualTo(QUEUE);
        assertThat(d.message().destination()).isEqualTo("orders");
        assertThat(d.message().partition()).isEqualTo(2);
        assertThat(d.receipt()).contains("2~r0");
    }

    @Test
    void withCreditTheClientNeverGetsMoreThanItGrantedAndHeldDeliveriesFollowAGrantInOrder() {
        SpreadConsumer consumer = open(new ConsumerOptions(2, AckMode.CLIENT, FlowControl.CREDIT), 3);
        partitions.get(0).deliver();
        partitions.get(1).deliver();
        partitions.get(2).deliver();
        partitions.get(1).deliver();

        assertThat(client.deliveries).hasSize(2);
        assertThat(partitions.get(0).granted).isEqualTo(1);
        assertThat(partitions.get(1).granted).isEqualTo(1);

        consumer.grant(1);
        assertThat(client.deliveries).hasSize(3);
        assertThat(client.deliveries.get(2).message().partition()).isEqualTo(2);
        assertThat(partitions.get(2).granted).isEqualTo(1);

        consumer.grant(5);
        assertThat(client.deliveries).hasSize(4);
        partitions.get(0).deliver();
        assertThat(client.deliveries).hasSize(5);
    }

    @Test
    void aListenerGrantingFromInsideItsCallbackWhilePartitionsDeliverConcurrentlyNeitherDeadlocksNorOverdelivers()
            throws Exception {
        AtomicInteger unacked = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        SpreadConsumer[] consumer = new SpreadConsumer[1];
        DeliveryListener granting = new DeliveryListener() {
            @Override
            public void onDelivery(Delivery delivery) {
                most.accumulateAndGet(unacked.incrementAndGet(), Math::max);
                delivered.incrementAndGet();
                unacked.decrementAndGet();
                // As the gRPC Subscribe call does: the delivery is written out and its credit comes back at once.
                consumer[0].grant(1);
            }

            @Override
            public void onClosed(CloseReason reason) {
            }
        };
        consumer[0] = SpreadConsumer.open(QUEUE, new ConsumerOptions(4, AckMode.CLIENT, FlowControl.CREDIT), granting, 2,
                receipts -> CompletableFuture.completedFuture(new AckResult(receipts.size(), List.of())),
                (p, listener) -> {
                    FakePartition fake = new FakePartition(p, listener);
                    partitions.add(fake);
                    return fake;
                });
        List<Thread> senders = new ArrayList<>();
        for (FakePartition partition : partitions) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    partition.deliver();
                }
            });
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join(30_000);
            assertThat(t.isAlive()).as("a partition stuck delivering").isFalse();
        }
        assertThat(delivered.get()).isEqualTo(40_000);
        assertThat(most.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void withAWindowEachPartitionRunsTheWindowAndGrantsReachEveryPartition() {
        SpreadConsumer consumer = open(ConsumerOptions.clientAck(1), 2);
        partitions.get(0).deliver();
        partitions.get(1).deliver();
        assertThat(client.deliveries).hasSize(2);

        consumer.grant(3);
        assertThat(partitions).allSatisfy(p -> assertThat(p.granted).isEqualTo(3));
    }

    @Test
    void whenOnePartitionEndsTheWholeConsumerEndsOnceWithItsReason() {
        SpreadConsumer consumer = open(ConsumerOptions.clientAck(5), 3);
        partitions.get(1).listener.onClosed(CloseReason.BROKER_STOPPED);

        assertThat(client.closes).containsExactly(CloseReason.BROKER_STOPPED);
        assertThat(partitions).allSatisfy(p -> assertThat(p.closed).isTrue());
        assertThat(consumer.isOpen()).isFalse();
        consumer.close();
        partitions.get(0).deliver();
        assertThat(client.closes).hasSize(1);
        assertThat(client.deliveries).isEmpty();
    }

    @Test
    void aPartitionRefusingToAttachClosesTheOthersAndTheRefusalIsThrown() {
        assertThatThrownBy(() -> SpreadConsumer.open(QUEUE, ConsumerOptions.clientAck(5), client, 3,
                receipts -> CompletableFuture.completedFuture(new AckResult(0, List.of())),
                (p, listener) -> {
                    if (p == 2) {
                        throw new MomException(ErrorCode.UNAVAILABLE, "leader failing over");
                    }
                    FakePartition fake = new FakePartition(p, listener);
                    partitions.add(fake);
                    return fake;
                })).isInstanceOfSatisfying(MomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(partitions).hasSize(2).allSatisfy(p -> assertThat(p.closed).isTrue());
        assertThat(client.closes).isEmpty();
    }
}
