package io.mom.core.broker;

import io.mom.core.ConsumerOptions;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.OutgoingMessage;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest extends BrokerFixture {

    static void rejected(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(MomException.class)
                .satisfies(e -> assertThat(((MomException) e).code()).isEqualTo(code));
    }

    @Test
    void invalidNamesAreRejected() {
        for (String bad : List.of("", "has space", "slash/y", "ünï", "x".repeat(121))) {
            rejected(ErrorCode.INVALID_NAME, () -> DestinationRef.queue(bad));
            rejected(ErrorCode.INVALID_NAME, () -> SubscriptionRef.topic("t", bad));
        }
        rejected(ErrorCode.INVALID_NAME, () -> DestinationRef.queue(null));
        assertThat(DestinationRef.queue("a-Z_0.9").name()).isEqualTo("a-Z_0.9");
    }

    @Test
    void clientsCannotDeclareShardNamesWhichOnlyClusterNodesCreate() {
        rejected(ErrorCode.INVALID_NAME, () -> broker.declare(ALICE, DestinationRef.queue("orders~1"),
                DestinationOptions.DEFAULTS));
        rejected(ErrorCode.INVALID_NAME, () -> DestinationRef.queue("orders~100"));
        rejected(ErrorCode.INVALID_NAME, () -> DestinationRef.queue("orders~"));

        var core = (io.mom.core.internal.CoreBroker) broker;
        core.declareShard("alice", DestinationRef.queue("orders~1"), DestinationOptions.DEFAULTS);
        assertThat(broker.describe(DestinationRef.queue("orders~1")).owner()).isEqualTo("alice");
        assertThat(io.mom.core.Names.unsharded("orders~1.dlq")).isEqualTo("orders.dlq");
        assertThat(io.mom.core.Names.partitionOf("orders~12")).isEqualTo(12);
    }

    @Test
    void optionsOutOfRangeAreRejectedNamingTheOption() {
        Map<String, ThrowingCallable> cases = Map.of(
                "partitions", () -> DestinationOptions.builder().partitions(0).build(),
                "partitions ", () -> DestinationOptions.builder().partitions(65).build(),
                "ackTimeoutMs", () -> DestinationOptions.builder().ackTimeout(Duration.ofMillis(99)).build(),
                "ackTimeoutMs ", () -> DestinationOptions.builder().ackTimeout(Duration.ofHours(13)).build(),
                "maxDeliveries", () -> DestinationOptions.builder().maxDeliveries(0).build(),
                "maxDeliveries ", () -> DestinationOptions.builder().maxDeliveries(1001).build(),
                "ttlMs", () -> DestinationOptions.builder().ttl(Duration.ZERO).build(),
                "maxLength", () -> DestinationOptions.builder().maxLength(0L).build());
        cases.forEach((option, call) -> assertThatThrownBy(call).isInstanceOf(MomException.class)
                .hasMessageContaining(option.trim())
                .satisfies(e -> assertThat(((MomException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST)));
    }

    @Test
    void badReceiveAndConsumerArgumentsAreRejected() {
        rejected(ErrorCode.INVALID_REQUEST, () -> ReceiveRequest.of(0, Duration.ZERO));
        rejected(ErrorCode.INVALID_REQUEST, () -> ReceiveRequest.of(1001, Duration.ZERO));
        rejected(ErrorCode.INVALID_REQUEST, () -> ReceiveRequest.of(1, Duration.ofMillis(-1)));
        rejected(ErrorCode.INVALID_REQUEST, () -> ReceiveRequest.of(1, Duration.ofSeconds(31)));
        rejected(ErrorCode.INVALID_REQUEST, () -> ConsumerOptions.clientAck(0));
        rejected(ErrorCode.INVALID_REQUEST, () -> ConsumerOptions.clientAck(-5));
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.list(DestinationType.QUEUE, "", 0, ""));
    }

    @Test
    void oversizeOrMalformedMessagesAreRejectedAndNothingIsStored() {
        DestinationRef q = queue("q");
        Map<String, String> tooManyHeaders = new HashMap<>();
        for (int i = 0; i < 257; i++) {
            tooManyHeaders.put("h" + i, "v");
        }
        List<OutgoingMessage> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(OutgoingMessage.of("x"));
        }

        rejected(ErrorCode.PAYLOAD_TOO_LARGE, () -> broker.publish(ALICE, q, OutgoingMessage.of(new byte[(1 << 20) + 1])));
        rejected(ErrorCode.PAYLOAD_TOO_LARGE, () -> broker.publishAll(ALICE, q, tooMany));
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.publishAll(ALICE, q, List.of()));
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.publish(ALICE, q,
                OutgoingMessage.builder(new byte[1]).headers(tooManyHeaders).build()));
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.publish(ALICE, q,
                OutgoingMessage.builder(new byte[1]).id(" ").build()));
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.publish(ALICE, q,
                OutgoingMessage.builder(new byte[1]).ttl(Duration.ZERO).build()));
        // One bad message spoils the whole batch.
        rejected(ErrorCode.PAYLOAD_TOO_LARGE, () -> broker.publishAll(ALICE, q,
                List.of(OutgoingMessage.of("fine"), OutgoingMessage.of(new byte[(1 << 20) + 1]))));

        assertThat(broker.describe(q).depth()).isZero();
        assertThat(store.messageCount()).isZero();
    }

    @Test
    void emptyOrNullReceiptListsAreRejected() {
        queue("q");
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.ack(ALICE, SubscriptionRef.queue("q"), List.of()));
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        rejected(ErrorCode.INVALID_REQUEST, () -> broker.ack(ALICE, SubscriptionRef.queue("q"), withNull));
    }

    @Test
    void operationsBeforeStartAndAfterCloseAreUnavailable() {
        var unstarted = io.mom.core.Broker.builder().build();
        rejected(ErrorCode.UNAVAILABLE, () -> unstarted.declare(ALICE, DestinationRef.queue("q"),
                DestinationOptions.DEFAULTS));
        unstarted.close();
        broker.close();
        rejected(ErrorCode.UNAVAILABLE, () -> broker.describe(DestinationRef.queue("q")));
        rejected(ErrorCode.UNAVAILABLE, broker::start);
    }
}
