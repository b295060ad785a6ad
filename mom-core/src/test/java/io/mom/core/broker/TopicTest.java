package io.mom.core.broker;

import io.mom.core.Delivery;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicTest extends BrokerFixture {
    final SubscriptionRef a = SubscriptionRef.topic("news", "a");
    final SubscriptionRef b = SubscriptionRef.topic("news", "b");

    @Test
    void everySubscriptionGetsEveryMessage() {
        DestinationRef news = topic("news", "a", "b");
        publish(news, "1", "2");

        assertThat(texts(receive(a, 10))).containsExactly("1", "2");
        assertThat(texts(receive(b, 10))).containsExactly("1", "2");
    }

    @Test
    void aSubscriptionCreatedLaterStartsWithTheNextMessage() {
        DestinationRef news = topic("news", "a");
        publish(news, "old");
        broker.subscribe(BOB, b, SubscriptionOptions.DEFAULTS);
        publish(news, "new");

        assertThat(texts(receive(b, 10))).containsExactly("new");
        assertThat(texts(receive(a, 10))).containsExactly("old", "new");
    }

    @Test
    void oneStoredCopyStaysUntilEverySubscriptionAtPublishTimeHasAcked() {
        DestinationRef news = topic("news", "a", "b");
        publish(news, "m");
        assertThat(store.messageCount()).isEqualTo(1);

        ack(a, receive(a, 1));
        assertThat(store.messageCount()).isEqualTo(1);
        assertThat(broker.describe(news).depth()).isEqualTo(1);

        ack(b, receive(b, 1));
        assertThat(store.messageCount()).isZero();
        assertThat(broker.describe(news).depth()).isZero();
    }

    @Test
    void aTopicWithoutSubscriptionsKeepsNothing() {
        DestinationRef news = topic("news");
        publish(news, "lost");

        assertThat(store.messageCount()).isZero();
        assertThat(broker.describe(news).depth()).isZero();
    }

    @Test
    void unsubscribingReleasesItsPendingMessages() {
        DestinationRef news = topic("news", "a", "b");
        publish(news, "m1", "m2");
        ack(a, receive(a, 10));

        broker.unsubscribe(BOB, b);

        assertThat(store.messageCount()).isZero();
        assertThat(broker.subscriptions(news)).extracting(s -> s.ref().subscription()).containsExactly("a");
    }

    @Test
    void subscribeIsIdempotentAndRejectsOtherOptions() {
        topic("news", "a");
        assertThat(broker.subscribe(BOB, a, SubscriptionOptions.DEFAULTS).created()).isFalse();
        assertThatThrownBy(() -> broker.subscribe(BOB, a, SubscriptionOptions.of(null, 2)))
                .isInstanceOf(MomException.class).extracting(e -> ((MomException) e).code())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void onlyTheCreatorTheTopicOwnerOrAnAdminUnsubscribe() {
        topic("news", "a");
        var mallory = io.mom.core.Identity.user("mallory");

        assertThatThrownBy(() -> broker.unsubscribe(mallory, a)).isInstanceOf(MomException.class)
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        broker.unsubscribe(ALICE, a);
        assertThat(broker.subscriptions(DestinationRef.topic("news"))).isEmpty();
    }

    @Test
    void subscriptionOptionsOverrideTheTopicsLease() {
        DestinationRef news = topic("news");
        broker.subscribe(BOB, a, SubscriptionOptions.of(java.time.Duration.ofMillis(200), 1));
        publish(news, "m");
        receive(a, 1);

        time.advance(java.time.Duration.ofMillis(300));

        List<Delivery> dead = receive(SubscriptionRef.queue("news.dlq"), 1);
        assertThat(texts(dead)).containsExactly("m");
        assertThat(dead.get(0).message().headers()).containsEntry("x-mom-subscription", "a");
    }

    @Test
    void subscriptionInfoCountsPendingAndInFlight() {
        DestinationRef news = topic("news", "a");
        publish(news, "1", "2", "3");
        receive(a, 1);

        var info = broker.subscriptions(news).get(0);
        assertThat(info.pending()).isEqualTo(3);
        assertThat(info.inFlight()).isEqualTo(1);
        assertThat(info.owner()).isEqualTo("bob");
    }
}
