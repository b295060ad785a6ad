package io.mom.transport.grpc;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.OutgoingMessage;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.Settled;
import io.mom.grpc.v1.SubscribeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.queueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SubscribeTest {
    private final GrpcFixture fx = new GrpcFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private void declare(String queue) {
        fx.broker.declare(ALICE, DestinationRef.queue(queue), DestinationOptions.DEFAULTS);
    }

    private void publish(String queue, int count) {
        for (int i = 0; i < count; i++) {
            fx.broker.publish(ALICE, DestinationRef.queue(queue), OutgoingMessage.of("m" + i)).join();
        }
    }

    private SubscribeClient open(String queue, int credit) {
        return SubscribeClient.open(fx.messagingAsync(fx.bobToken), queueSource(queue), credit, false);
    }

    private long depth(String queue) {
        return fx.broker.describe(DestinationRef.queue(queue)).depth();
    }

    private long inFlight(String queue) {
        return fx.broker.describe(DestinationRef.queue(queue)).inFlight();
    }

    @Test
    void deliveriesArriveInOrderAndAnAckOnTheStreamIsAnsweredOnceDurable() {
        declare("orders");
        publish("orders", 3);
        SubscribeClient stream = open("orders", 10);

        stream.awaitDeliveries(3);
        stream.ack(7, stream.receipts());
        await().until(() -> stream.settled.size() == 1);

        assertThat(stream.events.get(0).hasSubscribed()).as("subscribed comes first").isTrue();
        assertThat(stream.deliveries).extracting(m -> m.getPayload().toStringUtf8()).containsExactly("m0", "m1", "m2");
        assertThat(stream.deliveries).allSatisfy(m -> assertThat(m.getSender()).isEqualTo("alice"));
        Settled settled = stream.settled.get(0);
        assertThat(settled.getCorrelationId()).isEqualTo(7);
        assertThat(settled.getApplied()).isEqualTo(3);
        assertThat(settled.getInvalidList()).isEmpty();
        assertThat(depth("orders")).isZero();
        assertThat(stream.isEnded()).isFalse();
    }

    @Test
    void aConsumerThatGrantsTenCreditsNeverHoldsMoreThanTenUnackedDeliveries() {
        declare("orders");
        publish("orders", 60);
        SubscribeClient stream = open("orders", 10);

        stream.awaitDeliveries(10);
        assertThat(inFlight("orders")).as("the broker hands over no more than the credit").isEqualTo(10);
        assertThat(stream.deliveries).hasSize(10);

        int acked = 0;
        while (acked < 60) {
            int next = acked;
            GrpcFixture.soon().until(() -> stream.deliveries.size() > next);
            assertThat(stream.deliveries.size() - acked).as("unacked deliveries held").isLessThanOrEqualTo(10);
            stream.ack(acked, List.of(stream.deliveries.get(acked).getReceipt()));
            acked++;
            stream.credit(1);
        }

        await().until(() -> stream.settled.size() == 60);
        assertThat(stream.settled).allSatisfy(s -> assertThat(s.getApplied()).isEqualTo(1));
        assertThat(stream.deliveries).extracting(Message::getId).doesNotHaveDuplicates().hasSize(60);
        assertThat(depth("orders")).isZero();
    }

    @Test
    void unackedDeliveriesOfADisconnectedStreamAreRedeliveredToAnotherThatLivesOn() {
        declare("orders");
        publish("orders", 5);
        SubscribeClient first = open("orders", 10);
        first.awaitDeliveries(5);
        SubscribeClient second = open("orders", 10);
        second.awaitSubscribed();
        assertThat(second.deliveries).isEmpty();

        first.cancel();

        second.awaitDeliveries(5);
        assertThat(second.deliveries).extracting(Message::getId)
                .containsExactlyElementsOf(first.deliveries.stream().map(Message::getId).toList());
        assertThat(second.deliveries).allSatisfy(m -> assertThat(m.getDeliveryCount()).isEqualTo(2));
        second.ack(1, second.receipts());
        await().until(() -> second.settled.size() == 1);
        assertThat(second.settled.get(0).getApplied()).isEqualTo(5);
        assertThat(depth("orders")).isZero();
        assertThat(second.isEnded()).isFalse();
        assertThat(fx.server.openStreams()).isEqualTo(1);
    }

    @Test
    void aClientThatEndsItsSideGetsItsStreamCompletedAndItsDeliveriesGoBack() {
        declare("orders");
        publish("orders", 2);
        SubscribeClient stream = open("orders", 10);
        stream.awaitDeliveries(2);

        stream.halfClose();

        stream.awaitEnd();
        assertThat(stream.error()).isNull();
        assertThat(stream.closedReason()).isNull();
        await().until(() -> inFlight("orders") == 0 && fx.broker.describe(DestinationRef.queue("orders")).consumers() == 0);
        assertThat(depth("orders")).isEqualTo(2);
    }

    @Test
    void aNackOnTheStreamRequeuesForARedelivery() {
        declare("orders");
        publish("orders", 1);
        SubscribeClient stream = open("orders", 2);
        stream.awaitDeliveries(1);

        stream.nack(3, List.of(stream.deliveries.get(0).getReceipt(), "bogus"));

        stream.awaitDeliveries(2);
        await().until(() -> stream.settled.size() == 1);
        assertThat(stream.settled.get(0).getApplied()).isEqualTo(1);
        assertThat(stream.settled.get(0).getInvalidList()).containsExactly("bogus");
        assertThat(stream.deliveries.get(1).getId()).isEqualTo(stream.deliveries.get(0).getId());
        assertThat(stream.deliveries.get(1).getDeliveryCount()).isEqualTo(2);
    }

    @Test
    void anInvalidAckIsAnsweredWithAnErrorAndTheStreamGoesOn() {
        declare("orders");
        SubscribeClient stream = open("orders", 1);
        stream.awaitSubscribed();

        stream.ack(9, List.of());
        await().until(() -> stream.settled.size() == 1);
        publish("orders", 1);

        assertThat(stream.settled.get(0).getError().getCode()).isEqualTo(ErrorCode.INVALID_REQUEST.name());
        stream.awaitDeliveries(1);
        assertThat(stream.isEnded()).isFalse();
    }

    @Test
    void autoAckDeliveriesHaveNoReceiptAndLeaveNothingPending() {
        declare("orders");
        publish("orders", 3);

        SubscribeClient stream = SubscribeClient.open(fx.messagingAsync(fx.bobToken), queueSource("orders"), 3, true);

        stream.awaitDeliveries(3);
        assertThat(stream.deliveries).allSatisfy(m -> assertThat(m.getReceipt()).isEmpty());
        await().until(() -> depth("orders") == 0);
    }

    @Test
    void startErrorsEndTheStreamWithTheirCode() {
        declare("orders");

        assertStreamFails(SubscribeClient.open(fx.messagingAsync(fx.bobToken), queueSource("missing"), 1, false),
                ErrorCode.NOT_FOUND);
        assertStreamFails(open("orders", 0), ErrorCode.INVALID_REQUEST);
        assertStreamFails(open("orders", 10_001), ErrorCode.INVALID_REQUEST);
        assertStreamFails(SubscribeClient.open(fx.messagingAsync(fx.bobToken),
                queueSource("orders").toBuilder().setSubscription("s").build(), 1, false), ErrorCode.INVALID_REQUEST);
        assertStreamFails(SubscribeClient.open(fx.messagingAsync("forged"), queueSource("orders"), 1, false),
                ErrorCode.UNAUTHORIZED);

        SubscribeClient twice = open("orders", 1);
        twice.awaitSubscribed();
        twice.send(SubscribeRequest.newBuilder().setStart(io.mom.grpc.v1.SubscribeStart.newBuilder()
                .setSource(queueSource("orders")).setInitialCredit(1)).build());
        assertStreamFails(twice, ErrorCode.INVALID_REQUEST);

        SubscribeClient zeroCredit = open("orders", 1);
        zeroCredit.credit(0);
        assertStreamFails(zeroCredit, ErrorCode.INVALID_REQUEST);

        SubscribeClient empty = open("orders", 1);
        empty.send(SubscribeRequest.getDefaultInstance());
        assertStreamFails(empty, ErrorCode.INVALID_REQUEST);
        await().until(() -> fx.broker.describe(DestinationRef.queue("orders")).consumers() == 0);
        assertThat(fx.server.openStreams()).isZero();
    }

    private static void assertStreamFails(SubscribeClient stream, ErrorCode code) {
        stream.awaitEnd();
        assertThat(stream.error()).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException e = (StatusRuntimeException) stream.error();
        assertThat(e.getStatus().getCode()).isEqualTo(StatusMapping.statusCode(code));
        assertThat(StatusMapping.errorCodeOf(e)).contains(code);
    }

    @Test
    void aConsumerThatStopsReadingMakesTheServerStopAskingTheBrokerForMore() throws InterruptedException {
        declare("orders");
        byte[] payload = new byte[4096];
        for (int i = 0; i < 1000; i++) {
            fx.broker.publish(ALICE, DestinationRef.queue("orders"), OutgoingMessage.of(payload)).join();
        }
        // A small HTTP/2 window: what the client does not read soon fills it.
        ManagedChannel smallWindow = NettyChannelBuilder.forAddress("127.0.0.1", fx.server.port()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        try {
            SubscribeClient stream = SubscribeClient.open(
                    GrpcFixture.as(MessagingServiceGrpc.newStub(smallWindow), fx.bobToken),
                    queueSource("orders"), 10_000, false, true);

            await().until(() -> inFlight("orders") >= 64);
            // 64 buffered + what fits in the 64 KiB window and the transport's 32 KiB ready threshold.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> inFlight("orders") <= 150);
            assertThat(stream.deliveries).isEmpty();

            stream.read(Integer.MAX_VALUE);
            stream.awaitDeliveries(1000);
            Set<String> ids = new HashSet<>(stream.deliveries.stream().map(Message::getId).toList());
            assertThat(ids).hasSize(1000);
        } finally {
            smallWindow.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingTheServerEndsStreamsWithBrokerStopped() {
        declare("orders");
        SubscribeClient stream = open("orders", 1);
        stream.awaitSubscribed();

        fx.server.close();

        stream.awaitEnd();
        assertThat(stream.closedReason()).isEqualTo(io.mom.grpc.v1.CloseReason.CLOSE_REASON_BROKER_STOPPED);
        assertThat(stream.error()).isNull();
    }
}
