package io.mom.core.broker;

import io.mom.core.CloseReason;
import io.mom.core.ConsumerOptions;
import io.mom.core.DeletePolicy;
import io.mom.core.Delivery;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationLifecycleTest extends BrokerFixture {

    static ErrorCode codeOf(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return ((MomException) e).code();
    }

    @Test
    void declareIsIdempotentForTheSameOwnerAndOptions() {
        var first = broker.declare(ALICE, DestinationRef.queue("q"), DestinationOptions.DEFAULTS);
        var second = broker.declare(ALICE, DestinationRef.queue("q"), DestinationOptions.DEFAULTS);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.value().owner()).isEqualTo("alice");
    }

    @Test
    void declareConflictsOnOtherOwnerOtherOptionsOrOtherType() {
        queue("q");
        DestinationOptions other = DestinationOptions.builder().maxDeliveries(9).build();

        for (Runnable r : List.<Runnable>of(
                () -> broker.declare(BOB, DestinationRef.queue("q"), DestinationOptions.DEFAULTS),
                () -> broker.declare(ALICE, DestinationRef.queue("q"), other),
                () -> broker.declare(ALICE, DestinationRef.topic("q"), DestinationOptions.DEFAULTS))) {
            assertThatThrownBy(r::run).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.ALREADY_EXISTS));
        }
    }

    @Test
    void deadLetterNamesAreReserved() {
        assertThatThrownBy(() -> broker.declare(ALICE, DestinationRef.queue("x.dlq"), DestinationOptions.DEFAULTS))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_NAME));
    }

    @Test
    void listingPagesInNameOrderWithPrefix() {
        for (String n : List.of("b", "a", "c", "ab", "d")) {
            queue(n);
        }
        topic("a-topic");

        var page1 = broker.list(DestinationType.QUEUE, "", 2, "");
        var page2 = broker.list(DestinationType.QUEUE, "", 2, page1.next().orElseThrow());
        var prefixed = broker.list(DestinationType.QUEUE, "a", 10, "");

        assertThat(page1.items()).extracting(i -> i.ref().name()).containsExactly("a", "ab");
        assertThat(page2.items()).extracting(i -> i.ref().name()).containsExactly("b", "c");
        assertThat(prefixed.items()).extracting(i -> i.ref().name()).containsExactly("a", "ab");
        assertThat(prefixed.next()).isEmpty();
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletes() {
        DestinationRef q = queue("q");

        assertThatThrownBy(() -> broker.delete(BOB, q, DeletePolicy.drop()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(broker.describe(q)).isNotNull();
        broker.delete(ADMIN, q, DeletePolicy.drop()).join();
        assertThatThrownBy(() -> broker.describe(q)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void deletingDropsMessagesTellsConsumersAndFailsWaitingPulls() {
        DestinationRef q = queue("q");
        publish(q, "a");
        SubscriptionRef sub = SubscriptionRef.queue("q");
        Recorder push = consume(sub, ConsumerOptions.clientAck(1));
        CompletableFuture<List<Delivery>> pull = broker.receive(ALICE, sub, ReceiveRequest.of(1, Duration.ofSeconds(9)));

        broker.delete(ALICE, q, DeletePolicy.drop()).join();

        assertThat(push.closed).isEqualTo(CloseReason.DELETED);
        assertThatThrownBy(pull::join).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.GONE));
        assertThat(store.messageCount()).isZero();
        queue("q");
        assertThat(receive(sub, 10)).isEmpty();
    }

    @Test
    void transferMovesEveryPendingMessageOnceIncludingInFlight() {
        DestinationRef from = queue("from");
        DestinationRef to = queue("to");
        publish(from, "1", "2", "3");
        receive(SubscriptionRef.queue("from"), 1);

        broker.delete(ALICE, from, DeletePolicy.transferTo(to)).join();

        List<Delivery> moved = receive(SubscriptionRef.queue("to"), 10);
        assertThat(texts(moved)).containsExactly("1", "2", "3");
        assertThat(moved).allSatisfy(d -> assertThat(d.message().sender()).isEqualTo("alice"));
    }

    @Test
    void topicTransferRepublishesMessagesUnackedByAnySubscriptionOnce() {
        DestinationRef news = topic("news", "a", "b");
        DestinationRef archive = queue("archive");
        publish(news, "1", "2");
        ack(SubscriptionRef.topic("news", "a"), receive(SubscriptionRef.topic("news", "a"), 10));
        ack(SubscriptionRef.topic("news", "b"), receive(SubscriptionRef.topic("news", "b"), 1));

        broker.delete(ALICE, news, DeletePolicy.transferTo(archive)).join();

        assertThat(texts(receive(SubscriptionRef.queue("archive"), 10))).containsExactly("2");
    }

    @Test
    void transferToAMissingDestinationChangesNothing() {
        DestinationRef q = queue("q");
        publish(q, "keep");

        assertThatThrownBy(() -> broker.delete(ALICE, q, DeletePolicy.transferTo(DestinationRef.queue("nowhere"))))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(texts(receive(SubscriptionRef.queue("q"), 10))).containsExactly("keep");
    }

    @Test
    void operationsOnAMissingDestinationAreNotFound() {
        SubscriptionRef none = SubscriptionRef.queue("none");
        assertThatThrownBy(() -> receive(none, 1)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> publish(DestinationRef.queue("none"), "x"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
        topic("t");
        assertThatThrownBy(() -> receive(SubscriptionRef.topic("t", "nosub"), 1))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
