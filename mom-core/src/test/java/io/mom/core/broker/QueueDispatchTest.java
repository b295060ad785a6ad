package io.mom.core.broker;

import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DestinationRef;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class QueueDispatchTest extends BrokerFixture {
    final SubscriptionRef q = SubscriptionRef.queue("orders");

    @Test
    void publishedMessagesAreReceivedInOrderWithSenderAndFirstDeliveryCount() {
        DestinationRef orders = queue("orders");
        publish(orders, "a", "b", "c");

        List<Delivery> got = receive(q, 10);

        assertThat(texts(got)).containsExactly("a", "b", "c");
        assertThat(got).allSatisfy(d -> {
            assertThat(d.deliveryCount()).isEqualTo(1);
            assertThat(d.message().sender()).isEqualTo("alice");
            assertThat(d.receipt()).isPresent();
        });
    }

    @Test
    void receiveTakesAtMostMax() {
        publish(queue("orders"), "a", "b", "c");

        assertThat(texts(receive(q, 2))).containsExactly("a", "b");
        assertThat(texts(receive(q, 2))).containsExactly("c");
    }

    @Test
    void ackedMessagesAreGoneAndDepthFollows() {
        DestinationRef orders = queue("orders");
        publish(orders, "a", "b");
        List<Delivery> got = receive(q, 10);
        assertThat(broker.describe(orders).inFlight()).isEqualTo(2);

        assertThat(ack(q, got).applied()).isEqualTo(2);

        assertThat(broker.describe(orders).depth()).isZero();
        assertThat(broker.describe(orders).inFlight()).isZero();
        assertThat(store.messageCount()).isZero();
        assertThat(receive(q, 10)).isEmpty();
    }

    @Test
    void pushConsumersShareAQueueRoundRobin() {
        DestinationRef orders = queue("orders");
        Recorder first = consume(q, ConsumerOptions.clientAck(100));
        Recorder second = consume(q, ConsumerOptions.clientAck(100));

        publish(orders, "1", "2", "3", "4", "5", "6");

        assertThat(first.texts()).containsExactly("1", "3", "5");
        assertThat(second.texts()).containsExactly("2", "4", "6");
    }

    @Test
    void aConsumerWithoutCreditIsSkippedAndServedAgainAfterItAcks() {
        DestinationRef orders = queue("orders");
        Recorder small = consume(q, ConsumerOptions.clientAck(1));
        Recorder big = consume(q, ConsumerOptions.clientAck(100));

        publish(orders, "1", "2", "3");
        assertThat(small.texts()).containsExactly("1");
        assertThat(big.texts()).containsExactly("2", "3");

        broker.ack(ALICE, q, receipts(small.snapshot())).join();
        publish(orders, "4");
        assertThat(small.texts()).containsExactly("1", "4");
    }

    @Test
    void prefetchBoundsUnackedDeliveries() {
        DestinationRef orders = queue("orders");
        Recorder r = consume(q, ConsumerOptions.clientAck(10));

        for (int i = 0; i < 25; i++) {
            publish(orders, "m" + i);
        }

        assertThat(r.deliveries).hasSize(10);
        broker.ack(ALICE, q, receipts(r.snapshot().subList(0, 4))).join();
        assertThat(r.deliveries).hasSize(14);
    }

    @Test
    void twoWaitingPullsEachGetOneOfTwoMessages() {
        DestinationRef orders = queue("orders");
        CompletableFuture<List<Delivery>> p1 = broker.receive(ALICE, q, ReceiveRequest.of(10, Duration.ofSeconds(5)));
        CompletableFuture<List<Delivery>> p2 = broker.receive(ALICE, q, ReceiveRequest.of(10, Duration.ofSeconds(5)));
        assertThat(p1).isNotDone();

        broker.publishAll(ALICE, orders, List.of(io.mom.core.OutgoingMessage.of("x"),
                io.mom.core.OutgoingMessage.of("y"))).join();

        assertThat(texts(p1.join())).containsExactly("x");
        assertThat(texts(p2.join())).containsExactly("y");
    }

    @Test
    void aLongPollEndsEmptyWhenItsWaitRunsOut() {
        queue("orders");
        CompletableFuture<List<Delivery>> pull = broker.receive(ALICE, q, ReceiveRequest.of(1, Duration.ofSeconds(2)));

        time.advance(Duration.ofMillis(1999));
        assertThat(pull).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(pull.join()).isEmpty();
        assertThat(broker.describe(DestinationRef.queue("orders")).consumers()).isZero();
    }

    @Test
    void aCancelledLongPollStopsWaitingAndTheNextMessageGoesToAnotherPull() {
        DestinationRef orders = queue("orders");
        CompletableFuture<List<Delivery>> cancelled = broker.receive(ALICE, q, ReceiveRequest.of(5, Duration.ofSeconds(30)));
        CompletableFuture<List<Delivery>> other = broker.receive(ALICE, q, ReceiveRequest.of(5, Duration.ofSeconds(30)));

        cancelled.cancel(false);
        assertThat(broker.describe(orders).consumers()).isEqualTo(1);
        publish(orders, "for-the-live-pull");

        assertThat(texts(other.join())).containsExactly("for-the-live-pull");
        assertThat(broker.describe(orders).inFlight()).isEqualTo(1);
    }

    @Test
    void aLongPollCompletesWhenAMessageArrives() {
        DestinationRef orders = queue("orders");
        CompletableFuture<List<Delivery>> pull = broker.receive(ALICE, q, ReceiveRequest.of(5, Duration.ofSeconds(30)));
        assertThat(broker.describe(orders).consumers()).isEqualTo(1);

        publish(orders, "late");

        assertThat(texts(pull.join())).containsExactly("late");
    }

    @Test
    void waitingPullsAndPushConsumersTakeTurns() {
        DestinationRef orders = queue("orders");
        Recorder push = consume(q, ConsumerOptions.clientAck(10));
        CompletableFuture<List<Delivery>> pull = broker.receive(ALICE, q, ReceiveRequest.of(10, Duration.ofSeconds(5)));

        publish(orders, "1", "2");

        assertThat(push.deliveries).hasSize(1);
        assertThat(pull.join()).hasSize(1);
    }

    @Test
    void autoAckPushDeliveriesNeedNoAckAndAreNotRedelivered() {
        DestinationRef orders = queue("orders");
        Recorder r = consume(q, ConsumerOptions.autoAck(5));

        publish(orders, "a", "b");
        time.advance(Duration.ofMinutes(5));

        assertThat(r.texts()).containsExactly("a", "b");
        assertThat(r.snapshot()).allSatisfy(d -> assertThat(d.receipt()).isEmpty());
        assertThat(broker.describe(orders).depth()).isZero();
    }

    @Test
    void partitionsRouteByKeyAndSpreadWithoutKey() {
        DestinationRef p = queue("parts", io.mom.core.DestinationOptions.builder().partitions(4).build());
        for (int i = 0; i < 8; i++) {
            broker.publish(ALICE, p, io.mom.core.OutgoingMessage.of("n" + i)).join();
        }
        for (int i = 0; i < 4; i++) {
            broker.publish(ALICE, p, io.mom.core.OutgoingMessage.builder(new byte[1]).key("same").build()).join();
        }
        List<Delivery> got = receive(SubscriptionRef.queue("parts"), 100);

        assertThat(got.subList(0, 8)).extracting(d -> d.message().partition())
                .containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(got.subList(8, 12)).extracting(d -> d.message().partition()).containsOnly(
                Math.floorMod("same".hashCode(), 4));
        assertThat(got.subList(8, 12)).extracting(d -> d.message().sequence()).isSorted();
    }
}
