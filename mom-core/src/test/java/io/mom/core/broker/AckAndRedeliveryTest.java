package io.mom.core.broker;

import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.NackMode;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AckAndRedeliveryTest extends BrokerFixture {
    final SubscriptionRef q = SubscriptionRef.queue("jobs");
    final DestinationOptions fastLease = DestinationOptions.builder().ackTimeout(Duration.ofSeconds(1))
            .maxDeliveries(3).build();

    @Test
    void anExpiredLeaseRedeliversWithTheNextDeliveryCount() {
        queue("jobs", fastLease);
        publish(DestinationRef.queue("jobs"), "work");
        Delivery first = receive(q, 1).get(0);

        time.advance(Duration.ofMillis(1100));
        Delivery second = receive(q, 1).get(0);

        assertThat(second.message().id()).isEqualTo(first.message().id());
        assertThat(second.deliveryCount()).isEqualTo(2);
        assertThat(second.receipt()).isNotEqualTo(first.receipt());
    }

    @Test
    void aStaleReceiptIsReportedAndDoesNotAckTheRedelivery() {
        queue("jobs", fastLease);
        publish(DestinationRef.queue("jobs"), "work");
        Delivery first = receive(q, 1).get(0);
        time.advance(Duration.ofMillis(1100));
        Delivery second = receive(q, 1).get(0);

        AckResult stale = ack(q, List.of(first));

        assertThat(stale.applied()).isZero();
        assertThat(stale.invalid()).containsExactly(first.receipt().orElseThrow());
        assertThat(broker.describe(DestinationRef.queue("jobs")).inFlight()).isEqualTo(1);
        assertThat(ack(q, List.of(second)).applied()).isEqualTo(1);
    }

    @Test
    void aReceiptWorksOnceAndUnknownOnesAreReported() {
        queue("jobs");
        publish(DestinationRef.queue("jobs"), "work");
        Delivery d = receive(q, 1).get(0);

        assertThat(ack(q, List.of(d)).applied()).isEqualTo(1);
        AckResult again = broker.ack(ALICE, q, List.of(d.receipt().orElseThrow(), "nonsense", "")).join();

        assertThat(again.applied()).isZero();
        assertThat(again.invalid()).containsExactly(d.receipt().orElseThrow(), "nonsense", "");
    }

    @Test
    void receiptsFromBeforeARestartAreUnknown() {
        queue("jobs");
        publish(DestinationRef.queue("jobs"), "work");
        Delivery before = receive(q, 1).get(0);
        broker.close();
        time.advance(Duration.ofMillis(5));
        restart();

        Delivery after = receive(q, 1).get(0);
        AckResult old = ack(q, List.of(before));

        assertThat(old.invalid()).hasSize(1);
        assertThat(after.deliveryCount()).isEqualTo(2);
    }

    @Test
    void nackRequeuesForImmediateRedelivery() {
        queue("jobs");
        publish(DestinationRef.queue("jobs"), "a", "b");
        Delivery a = receive(q, 1).get(0);

        AckResult nacked = broker.nack(ALICE, q, receipts(List.of(a)), NackMode.REQUEUE).join();
        List<Delivery> next = receive(q, 10);

        assertThat(nacked.applied()).isEqualTo(1);
        assertThat(texts(next)).containsExactly("a", "b");
        assertThat(next.get(0).deliveryCount()).isEqualTo(2);
    }

    @Test
    void theLastAllowedDeliveryNackedMovesToTheDeadLetterQueueOwnedByTheSourceOwner() {
        queue("jobs", fastLease);
        publish(DestinationRef.queue("jobs"), "poison");
        for (int i = 1; i <= 3; i++) {
            Delivery d = receive(q, 1).get(0);
            assertThat(d.deliveryCount()).isEqualTo(i);
            broker.nack(ALICE, q, receipts(List.of(d)), NackMode.REQUEUE).join();
        }

        assertThat(receive(q, 1)).isEmpty();
        assertThat(broker.describe(DestinationRef.queue("jobs")).depth()).isZero();
        var dlq = broker.describe(DestinationRef.queue("jobs.dlq"));
        assertThat(dlq.owner()).isEqualTo("alice");
        List<Delivery> dead = receive(SubscriptionRef.queue("jobs.dlq"), 10);
        assertThat(texts(dead)).containsExactly("poison");
        assertThat(dead.get(0).message().sender()).isEqualTo("alice");
    }

    @Test
    void anExpiredLastLeaseDeadLettersToo() {
        queue("jobs", fastLease);
        publish(DestinationRef.queue("jobs"), "slow");
        for (int i = 0; i < 3; i++) {
            assertThat(receive(q, 1)).hasSize(1);
            time.advance(Duration.ofMillis(1100));
        }

        assertThat(texts(receive(SubscriptionRef.queue("jobs.dlq"), 10))).containsExactly("slow");
    }

    @Test
    void nackToDeadLetterMovesAtOnce() {
        queue("jobs");
        publish(DestinationRef.queue("jobs"), "bad");
        Delivery d = receive(q, 1).get(0);

        broker.nack(ALICE, q, receipts(List.of(d)), NackMode.DEAD_LETTER).join();

        assertThat(texts(receive(SubscriptionRef.queue("jobs.dlq"), 10))).containsExactly("bad");
    }

    @Test
    void aDeadLetterQueueHasNoDeadLetterQueueOfItsOwn() {
        queue("jobs");
        publish(DestinationRef.queue("jobs"), "bad");
        broker.nack(ALICE, q, receipts(receive(q, 1)), NackMode.DEAD_LETTER).join();
        SubscriptionRef dlq = SubscriptionRef.queue("jobs.dlq");

        for (int i = 0; i < 7; i++) {
            broker.nack(ALICE, dlq, receipts(receive(dlq, 1)), NackMode.REQUEUE).join();
        }

        assertThat(receive(dlq, 1)).singleElement().satisfies(d -> assertThat(d.deliveryCount()).isEqualTo(8));
        assertThat(broker.list(io.mom.core.DestinationType.QUEUE, "jobs.dlq.", 10, "").items()).isEmpty();
    }

    @Test
    void topicDeadLettersNameTheSubscription() {
        DestinationRef news = topic("news", "audit", "mail");
        publish(news, "story");
        SubscriptionRef mail = SubscriptionRef.topic("news", "mail");

        broker.nack(ALICE, mail, receipts(receive(mail, 1)), NackMode.DEAD_LETTER).join();

        Delivery dead = receive(SubscriptionRef.queue("news.dlq"), 10).get(0);
        assertThat(dead.message().headers()).containsEntry("x-mom-subscription", "mail");
        assertThat(texts(receive(SubscriptionRef.topic("news", "audit"), 10))).containsExactly("story");
    }

    @Test
    void aConsumerThatGoesAwayHasItsUnackedDeliveriesRedelivered() {
        DestinationRef jobs = queue("jobs");
        Recorder leaving = consume(q, ConsumerOptions.clientAck(10));
        publish(jobs, "a", "b");
        assertThat(leaving.deliveries).hasSize(2);
        Recorder staying = consume(q, ConsumerOptions.clientAck(10));

        leaving.consumer.close();

        assertThat(leaving.closed).isEqualTo(CloseReason.CLOSED);
        assertThat(staying.texts()).containsExactly("a", "b");
        assertThat(staying.snapshot()).allSatisfy(d -> assertThat(d.deliveryCount()).isEqualTo(2));
    }

    @Test
    void aListenerThatThrowsIsClosedAndItsDeliveryRedelivered() {
        DestinationRef jobs = queue("jobs");
        var failing = new io.mom.core.DeliveryListener() {
            volatile CloseReason closed;

            @Override
            public void onDelivery(Delivery delivery) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onClosed(CloseReason reason) {
                closed = reason;
            }
        };
        broker.consume(ALICE, q, ConsumerOptions.clientAck(5), failing);

        publish(jobs, "x");

        assertThat(failing.closed).isEqualTo(CloseReason.FAILED);
        assertThat(receive(q, 1)).singleElement().satisfies(d -> assertThat(d.deliveryCount()).isEqualTo(2));
    }

    @Test
    void creditFlowControlSendsOneDeliveryPerGrantedCredit() {
        DestinationRef jobs = queue("jobs");
        Recorder r = consume(q, new ConsumerOptions(2, io.mom.core.AckMode.CLIENT, io.mom.core.FlowControl.CREDIT));
        publish(jobs, "1", "2", "3", "4");
        assertThat(r.deliveries).hasSize(2);

        ack(q, r.snapshot());
        assertThat(r.deliveries).hasSize(2);

        r.consumer.grant(1);
        assertThat(r.texts()).containsExactly("1", "2", "3");
    }
}
