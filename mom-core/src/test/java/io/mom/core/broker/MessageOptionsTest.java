package io.mom.core.broker;

import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.OutgoingMessage;
import io.mom.core.Overflow;
import io.mom.core.PublishResult;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageOptionsTest extends BrokerFixture {
    final SubscriptionRef q = SubscriptionRef.queue("q");

    PublishResult publishWithId(DestinationRef to, String id, String text) {
        return broker.publish(ALICE, to, OutgoingMessage.builder(text.getBytes(StandardCharsets.UTF_8)).id(id).build())
                .join();
    }

    @Test
    void aRepeatedProducerIdWithinFiveMinutesIsStoredOnce() {
        DestinationRef dest = queue("q");
        PublishResult first = publishWithId(dest, "order-1", "a");
        time.advance(Duration.ofMinutes(4));
        PublishResult again = publishWithId(dest, "order-1", "a");

        assertThat(first).isEqualTo(new PublishResult("order-1", false));
        assertThat(again).isEqualTo(new PublishResult("order-1", true));
        assertThat(receive(q, 10)).singleElement().satisfies(d -> assertThat(d.message().id()).isEqualTo("order-1"));
    }

    @Test
    void aProducerIdIsAcceptedAgainAfterTheWindow() {
        DestinationRef dest = queue("q");
        publishWithId(dest, "order-1", "a");
        time.advance(Duration.ofMinutes(5).plusMillis(1));

        assertThat(publishWithId(dest, "order-1", "a").duplicate()).isFalse();
        assertThat(receive(q, 10)).hasSize(2);
    }

    @Test
    void dedupIsPerDestinationAndWithinABatch() {
        DestinationRef one = queue("q");
        DestinationRef two = queue("q2");
        publishWithId(one, "x", "a");

        assertThat(publishWithId(two, "x", "a").duplicate()).isFalse();
        List<PublishResult> batch = broker.publishAll(ALICE, two, List.of(
                OutgoingMessage.builder(new byte[1]).id("y").build(),
                OutgoingMessage.builder(new byte[1]).id("y").build())).join();
        assertThat(batch).extracting(PublishResult::duplicate).containsExactly(false, true);
    }

    @Test
    void dedupSurvivesARestart() {
        DestinationRef dest = queue("q");
        publishWithId(dest, "order-1", "a");
        broker.close();
        restart();

        assertThat(publishWithId(dest, "order-1", "a").duplicate()).isTrue();
    }

    @Test
    void expiredMessagesAreDroppedNotDeadLettered() {
        DestinationRef dest = queue("q", DestinationOptions.builder().ttl(Duration.ofSeconds(10)).build());
        publish(dest, "old");
        time.advance(Duration.ofSeconds(5));
        broker.publish(ALICE, dest, OutgoingMessage.builder("short".getBytes(StandardCharsets.UTF_8))
                .ttl(Duration.ofSeconds(1)).build()).join();
        publish(dest, "young");
        time.advance(Duration.ofSeconds(6));

        assertThat(texts(receive(q, 10))).containsExactly("young");
        assertThat(broker.list(io.mom.core.DestinationType.QUEUE, "q.dlq", 10, "").items()).isEmpty();
    }

    @Test
    void theSweepRemovesExpiredMessagesWithoutAConsumer() {
        DestinationRef dest = queue("q", DestinationOptions.builder().ttl(Duration.ofSeconds(1)).build());
        publish(dest, "a", "b");

        time.advance(Duration.ofSeconds(2));

        assertThat(broker.describe(dest).depth()).isZero();
        assertThat(store.messageCount()).isZero();
    }

    @Test
    void aFullQueueRejectsAndChangesNothing() {
        DestinationRef dest = queue("q", DestinationOptions.builder().maxLength(2L).build());
        publish(dest, "1", "2");

        assertThatThrownBy(() -> publish(dest, "3")).isInstanceOf(MomException.class)
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThatThrownBy(() -> broker.publishAll(ALICE, dest, List.of(OutgoingMessage.of("x"))))
                .isInstanceOf(MomException.class);
        assertThat(texts(receive(q, 10))).containsExactly("1", "2");
    }

    @Test
    void dropOldestMakesRoomByDroppingIdleMessages() {
        DestinationRef dest = queue("q", DestinationOptions.builder().maxLength(2L).overflow(Overflow.DROP_OLDEST)
                .build());
        publish(dest, "1", "2");
        List<Delivery> inFlight = receive(q, 1);
        publish(dest, "3");
        publish(dest, "4");

        assertThat(texts(inFlight)).containsExactly("1");
        assertThat(texts(receive(q, 10))).containsExactly("4");
        assertThat(broker.describe(dest).depth()).isEqualTo(2);
    }

    @Test
    void dropOldestRejectsWhenEveryMessageIsInFlight() {
        DestinationRef dest = queue("q", DestinationOptions.builder().maxLength(1L).overflow(Overflow.DROP_OLDEST)
                .build());
        publish(dest, "1");
        receive(q, 1);

        assertThatThrownBy(() -> publish(dest, "2")).isInstanceOf(MomException.class)
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.QUEUE_FULL);
    }

    @Test
    void headersKeysAndTtlAreCarriedToTheConsumer() {
        DestinationRef dest = queue("q");
        broker.publish(ALICE, dest, OutgoingMessage.builder(new byte[] {1, 2}).headers(java.util.Map.of("k", "v"))
                .key("user-7").ttl(Duration.ofMinutes(1)).build()).join();

        var m = receive(q, 1).get(0).message();
        assertThat(m.headers()).containsEntry("k", "v");
        assertThat(m.key()).contains("user-7");
        assertThat(m.expiresAt()).contains(time.instant().plus(Duration.ofMinutes(1)));
        assertThat(m.publishedAt()).isEqualTo(time.instant());
    }

    static ErrorCode codeOf(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return ((MomException) e).code();
    }
}
