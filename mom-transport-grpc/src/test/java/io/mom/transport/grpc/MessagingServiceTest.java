package io.mom.transport.grpc;

import com.google.protobuf.ByteString;
import io.mom.core.DestinationOptions;
import io.mom.core.ErrorCode;
import io.mom.core.Limits;
import io.mom.core.Overflow;
import io.mom.grpc.v1.AckRequest;
import io.mom.grpc.v1.AckResponse;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.NackRequest;
import io.mom.grpc.v1.NackResponse;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.PublishResponse;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.ReceiveResponse;
import io.mom.grpc.v1.SubscriptionRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.assertFails;
import static io.mom.transport.grpc.GrpcFixture.queue;
import static io.mom.transport.grpc.GrpcFixture.queueSource;
import static io.mom.transport.grpc.GrpcFixture.topic;
import static io.mom.transport.grpc.GrpcFixture.topicSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MessagingServiceTest {
    private final GrpcFixture fx = new GrpcFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private void declareQueue(String name) {
        fx.broker.declare(ALICE, io.mom.core.DestinationRef.queue(name), DestinationOptions.DEFAULTS);
    }

    private static OutgoingMessage text(String text) {
        return OutgoingMessage.newBuilder().setPayload(ByteString.copyFromUtf8(text)).build();
    }

    private PublishResponse publish(String queue, OutgoingMessage... messages) {
        return fx.messaging(fx.aliceToken).publish(PublishRequest.newBuilder().setDestination(queue(queue))
                .addAllMessages(List.of(messages)).build());
    }

    private List<Message> receive(String token, SubscriptionRef source, int max, long waitMs) {
        return fx.messaging(token).receive(ReceiveRequest.newBuilder().setSource(source).setMax(max).setWaitMs(waitMs)
                .build()).getMessagesList();
    }

    @Test
    void aPublishedMessageComesBackWithEveryField() {
        declareQueue("orders");
        OutgoingMessage sent = OutgoingMessage.newBuilder().setId("order-1")
                .setPayload(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff}))
                .putHeaders("type", "order").setKey("customer-7").setTtlMs(60_000).build();

        PublishResponse published = publish("orders", sent);
        List<Message> received = receive(fx.bobToken, queueSource("orders"), 10, 0);

        assertThat(published.getIdsList()).containsExactly("order-1");
        assertThat(received).hasSize(1);
        Message m = received.get(0);
        assertThat(m.getId()).isEqualTo("order-1");
        assertThat(m.getPayload()).isEqualTo(sent.getPayload());
        assertThat(m.getHeadersMap()).containsEntry("type", "order");
        assertThat(m.getKey()).isEqualTo("customer-7");
        assertThat(m.getSender()).isEqualTo("alice");
        assertThat(m.getDeliveryCount()).isEqualTo(1);
        assertThat(m.getReceipt()).isNotEmpty();
        assertThat(m.getDestination()).isEqualTo("orders");
        assertThat(m.getSubscription()).isEmpty();
        long publishedMs = m.getPublishedAt().getSeconds() * 1000 + m.getPublishedAt().getNanos() / 1_000_000;
        long expiresMs = m.getExpiresAt().getSeconds() * 1000 + m.getExpiresAt().getNanos() / 1_000_000;
        assertThat(expiresMs - publishedMs).isBetween(59_000L, 61_000L);
    }

    @Test
    void aBatchIsPublishedInOrderAndAReusedIdIsStoredOnce() {
        declareQueue("orders");

        PublishResponse batch = publish("orders", text("a"), text("b"), text("c"));
        PublishResponse first = publish("orders", text("x").toBuilder().setId("dup").build());
        PublishResponse second = publish("orders", text("x").toBuilder().setId("dup").build());

        assertThat(batch.getIdsList()).hasSize(3).doesNotHaveDuplicates();
        assertThat(first.getIdsList()).containsExactly("dup");
        assertThat(second.getIdsList()).containsExactly("dup");
        assertThat(receive(fx.aliceToken, queueSource("orders"), 10, 0))
                .extracting(m -> m.getPayload().toString(StandardCharsets.UTF_8)).containsExactly("a", "b", "c", "x");
    }

    @Test
    void publishRejectsWhatRestRejectsAndStoresNothing() {
        declareQueue("orders");
        OutgoingMessage tooBig = OutgoingMessage.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[Limits.DEFAULTS.maxPayloadBytes() + 1])).build();
        OutgoingMessage[] tooMany = new OutgoingMessage[Limits.DEFAULTS.maxBatch() + 1];
        java.util.Arrays.fill(tooMany, text("m"));

        assertFails(() -> publish("orders", text("ok"), tooBig), ErrorCode.PAYLOAD_TOO_LARGE);
        assertFails(() -> publish("orders", tooMany), ErrorCode.PAYLOAD_TOO_LARGE);
        assertFails(() -> publish("orders"), ErrorCode.INVALID_REQUEST);
        assertFails(() -> publish("orders", text("x").toBuilder().setTtlMs(0).build()), ErrorCode.INVALID_REQUEST);
        assertFails(() -> publish("orders", text("x").toBuilder().setId("").build()), ErrorCode.INVALID_REQUEST);
        assertFails(() -> publish("missing", text("x")), ErrorCode.NOT_FOUND);
        assertFails(() -> publish("bad name", text("x")), ErrorCode.INVALID_NAME);
        assertFails(() -> fx.messaging(fx.aliceToken).publish(PublishRequest.newBuilder().addMessages(text("x")).build()),
                ErrorCode.INVALID_REQUEST);

        assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).depth()).isZero();
    }

    @Test
    void aFullQueueWithRejectOverflowIsQueueFull() {
        fx.broker.declare(ALICE, io.mom.core.DestinationRef.queue("small"),
                DestinationOptions.builder().maxLength(1L).overflow(Overflow.REJECT).build());
        publish("small", text("1"));

        assertFails(() -> publish("small", text("2")), ErrorCode.QUEUE_FULL);
    }

    @Test
    void receiveWaitsForTheFirstMessageThenAnswers() {
        declareQueue("orders");
        CompletableFuture<ReceiveResponse> waiting = new CompletableFuture<>();
        fx.messagingAsync(fx.bobToken).receive(ReceiveRequest.newBuilder().setSource(queueSource("orders"))
                .setMax(5).setWaitMs(30_000).build(), Observers.into(waiting));
        await().until(() -> fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).consumers() == 1);

        publish("orders", text("late"));

        assertThat(waiting.join().getMessagesList()).extracting(m -> m.getPayload().toStringUtf8())
                .containsExactly("late");
    }

    @Test
    void receiveWithoutWaitOnAnEmptyQueueIsEmptyAndMaxDefaultsToOne() {
        declareQueue("orders");
        assertThat(receive(fx.bobToken, queueSource("orders"), 1, 0)).isEmpty();

        publish("orders", text("a"), text("b"));
        ReceiveResponse one = fx.messaging(fx.bobToken).receive(ReceiveRequest.newBuilder()
                .setSource(queueSource("orders")).build());

        assertThat(one.getMessagesCount()).isEqualTo(1);
    }

    @Test
    void receiveValidatesItsRequest() {
        declareQueue("orders");
        var messaging = fx.messaging(fx.bobToken);

        assertFails(() -> receive(fx.bobToken, queueSource("orders"), 0, 0), ErrorCode.INVALID_REQUEST);
        assertFails(() -> receive(fx.bobToken, queueSource("orders"), 1001, 0), ErrorCode.INVALID_REQUEST);
        assertFails(() -> receive(fx.bobToken, queueSource("orders"), 1, 30_001), ErrorCode.INVALID_REQUEST);
        assertFails(() -> receive(fx.bobToken, queueSource("missing"), 1, 0), ErrorCode.NOT_FOUND);
        assertFails(() -> receive(fx.bobToken, queueSource("orders").toBuilder().setSubscription("x").build(), 1, 0),
                ErrorCode.INVALID_REQUEST);
        assertFails(() -> messaging.receive(ReceiveRequest.getDefaultInstance()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void autoAckDeliveriesCarryNoReceiptAndAreGone() {
        declareQueue("orders");
        publish("orders", text("a"));

        List<Message> got = fx.messaging(fx.bobToken).receive(ReceiveRequest.newBuilder().setSource(queueSource("orders"))
                .setAutoAck(true).build()).getMessagesList();

        assertThat(got).hasSize(1);
        assertThat(got.get(0).getReceipt()).isEmpty();
        assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).depth()).isZero();
    }

    @Test
    void ackRemovesTheMessageAndAStaleReceiptIsReportedInvalid() {
        declareQueue("orders");
        publish("orders", text("a"));
        String receipt = receive(fx.bobToken, queueSource("orders"), 1, 0).get(0).getReceipt();
        AckRequest ack = AckRequest.newBuilder().setSource(queueSource("orders")).addReceipts(receipt).build();

        AckResponse first = fx.messaging(fx.bobToken).ack(ack);
        AckResponse again = fx.messaging(fx.aliceToken).ack(ack);

        assertThat(first.getAcked()).isEqualTo(1);
        assertThat(first.getInvalidList()).isEmpty();
        assertThat(again.getAcked()).isZero();
        assertThat(again.getInvalidList()).containsExactly(receipt);
        assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).depth()).isZero();
        assertFails(() -> fx.messaging(fx.bobToken).ack(AckRequest.newBuilder().setSource(queueSource("orders")).build()),
                ErrorCode.INVALID_REQUEST);
        assertFails(() -> fx.messaging(fx.bobToken).ack(ack.toBuilder().setSource(queueSource("missing")).build()),
                ErrorCode.NOT_FOUND);
    }

    @Test
    void nackRequeuesForARedeliveryOrDeadLettersNow() {
        declareQueue("orders");
        publish("orders", text("a"), text("b"));
        List<Message> first = receive(fx.bobToken, queueSource("orders"), 2, 0);

        NackResponse requeued = fx.messaging(fx.bobToken).nack(NackRequest.newBuilder().setSource(queueSource("orders"))
                .addReceipts(first.get(0).getReceipt()).addReceipts("bogus").build());
        NackResponse dead = fx.messaging(fx.bobToken).nack(NackRequest.newBuilder().setSource(queueSource("orders"))
                .addReceipts(first.get(1).getReceipt()).setDeadLetter(true).build());

        assertThat(requeued.getNacked()).isEqualTo(1);
        assertThat(requeued.getInvalidList()).containsExactly("bogus");
        assertThat(dead.getNacked()).isEqualTo(1);
        List<Message> again = receive(fx.bobToken, queueSource("orders"), 10, 0);
        assertThat(again).extracting(m -> m.getPayload().toStringUtf8()).containsExactly("a");
        assertThat(again.get(0).getDeliveryCount()).isEqualTo(2);
        await().until(() -> fx.broker.list(io.mom.core.DestinationType.QUEUE, "orders.dlq", 1, "").items().size() == 1);
        assertThat(receive(fx.bobToken, queueSource("orders.dlq"), 10, 5_000))
                .extracting(m -> m.getPayload().toStringUtf8()).containsExactly("b");
    }

    @Test
    void topicSubscriptionsEachGetTheMessageAndNameTheirSubscription() {
        fx.broker.declare(ALICE, io.mom.core.DestinationRef.topic("prices"), DestinationOptions.DEFAULTS);
        fx.broker.subscribe(ALICE, io.mom.core.SubscriptionRef.topic("prices", "one"),
                io.mom.core.SubscriptionOptions.DEFAULTS);
        fx.broker.subscribe(ALICE, io.mom.core.SubscriptionRef.topic("prices", "two"),
                io.mom.core.SubscriptionOptions.DEFAULTS);

        fx.messaging(fx.aliceToken).publish(PublishRequest.newBuilder().setDestination(topic("prices"))
                .addMessages(text("p")).build());

        for (String sub : List.of("one", "two")) {
            List<Message> got = receive(fx.bobToken, topicSource("prices", sub), 10, 0);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getSubscription()).isEqualTo(sub);
            assertThat(fx.messaging(fx.bobToken).ack(AckRequest.newBuilder().setSource(topicSource("prices", sub))
                    .addReceipts(got.get(0).getReceipt()).build()).getAcked()).isEqualTo(1);
        }
        assertFails(() -> receive(fx.bobToken, topicSource("prices", ""), 1, 0), ErrorCode.INVALID_NAME);
        assertFails(() -> receive(fx.bobToken, topicSource("prices", "three"), 1, 0), ErrorCode.NOT_FOUND);
    }

    @Test
    void aPendingReceiveOfADeletedQueueFailsWithGone() {
        declareQueue("orders");
        CompletableFuture<ReceiveResponse> waiting = new CompletableFuture<>();
        fx.messagingAsync(fx.bobToken).receive(ReceiveRequest.newBuilder().setSource(queueSource("orders"))
                .setWaitMs(30_000).build(), Observers.into(waiting));
        await().until(() -> fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).consumers() == 1);

        fx.broker.delete(ALICE, io.mom.core.DestinationRef.queue("orders"), io.mom.core.DeletePolicy.drop()).join();

        assertFails(() -> {
            try {
                waiting.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause();
            }
        }, ErrorCode.GONE);
    }
}
