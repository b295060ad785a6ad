package io.mom.core.broker;

import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker rebuilt from its store has every destination, subscription and unacked message back. */
class RecoveryTest extends BrokerFixture {

    @Test
    void unackedMessagesComeBackAndAckedOnesDoNot() {
        DestinationRef q = queue("q", DestinationOptions.builder().maxDeliveries(9).build());
        publish(q, "acked", "inflight", "waiting");
        List<Delivery> got = receive(SubscriptionRef.queue("q"), 2);
        ack(SubscriptionRef.queue("q"), got.subList(0, 1));
        broker.close();

        restart();

        var info = broker.describe(q);
        assertThat(info.owner()).isEqualTo("alice");
        assertThat(info.options().maxDeliveries()).isEqualTo(9);
        assertThat(info.depth()).isEqualTo(2);
        List<Delivery> back = receive(SubscriptionRef.queue("q"), 10);
        assertThat(texts(back)).containsExactlyInAnyOrder("inflight", "waiting");
        assertThat(back).filteredOn(d -> text(d).equals("inflight")).singleElement()
                .satisfies(d -> assertThat(d.deliveryCount()).isEqualTo(2));
        assertThat(back).filteredOn(d -> text(d).equals("waiting")).singleElement()
                .satisfies(d -> assertThat(d.deliveryCount()).isEqualTo(1));
    }

    @Test
    void topicSubscriptionsAndTheirCursorsComeBack() {
        DestinationRef news = topic("news", "a", "b");
        publish(news, "1", "2");
        ack(SubscriptionRef.topic("news", "a"), receive(SubscriptionRef.topic("news", "a"), 10));
        broker.close();

        restart();

        assertThat(broker.subscriptions(news)).extracting(s -> s.ref().subscription() + "/" + s.owner())
                .containsExactly("a/bob", "b/bob");
        assertThat(receive(SubscriptionRef.topic("news", "a"), 10)).isEmpty();
        assertThat(texts(receive(SubscriptionRef.topic("news", "b"), 10))).containsExactly("1", "2");
    }

    @Test
    void newMessagesAfterRecoveryGetFreshSequences() {
        DestinationRef q = queue("q");
        publish(q, "1", "2");
        broker.close();
        restart();
        publish(q, "3");

        List<Delivery> all = receive(SubscriptionRef.queue("q"), 10);
        assertThat(all).extracting(d -> d.message().sequence()).doesNotHaveDuplicates().isSorted();
        assertThat(texts(all)).containsExactly("1", "2", "3");
    }

    @Test
    void aCleanRestartRedeliversNothingAcked() {
        DestinationRef q = queue("q");
        publish(q, "1", "2", "3");
        ack(SubscriptionRef.queue("q"), receive(SubscriptionRef.queue("q"), 10));
        time.advance(Duration.ofSeconds(1));
        broker.close();

        restart();

        assertThat(receive(SubscriptionRef.queue("q"), 10)).isEmpty();
        assertThat(broker.describe(q).depth()).isZero();
    }
}
