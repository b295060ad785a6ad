package io.mom.transport.grpc;

import io.mom.core.ErrorCode;
import io.mom.core.OutgoingMessage;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.CreateSubscriptionRequest;
import io.mom.grpc.v1.CreateSubscriptionResponse;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DeclareResponse;
import io.mom.grpc.v1.DeleteRequest;
import io.mom.grpc.v1.DeleteSubscriptionRequest;
import io.mom.grpc.v1.DestinationInfo;
import io.mom.grpc.v1.DestinationOptions;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.GetRequest;
import io.mom.grpc.v1.ListRequest;
import io.mom.grpc.v1.ListResponse;
import io.mom.grpc.v1.ListSubscriptionsRequest;
import io.mom.grpc.v1.Overflow;
import io.mom.grpc.v1.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.assertFails;
import static io.mom.transport.grpc.GrpcFixture.queue;
import static io.mom.transport.grpc.GrpcFixture.topic;
import static org.assertj.core.api.Assertions.assertThat;

class DestinationServiceTest {
    private final GrpcFixture fx = new GrpcFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private DeclareResponse declare(String token, DestinationRef ref, DestinationOptions options) {
        return fx.destinations(token).declare(DeclareRequest.newBuilder().setDestination(ref).setOptions(options).build());
    }

    private DeclareResponse declare(String token, DestinationRef ref) {
        return declare(token, ref, DestinationOptions.getDefaultInstance());
    }

    @Test
    void declareCreatesAQueueWithDefaultsThenConfirmsItForTheSameOwnerAndOptions() {
        DeclareResponse first = declare(fx.aliceToken, queue("orders"));
        DeclareResponse again = declare(fx.aliceToken, queue("orders"));

        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isFalse();
        DestinationInfo info = first.getDestination();
        assertThat(info.getDestination()).isEqualTo(queue("orders"));
        assertThat(info.getOwner()).isEqualTo("alice");
        assertThat(info.getSubscriptions()).isEqualTo(1);
        assertThat(info.getOptions().getPartitions()).isEqualTo(1);
        assertThat(info.getOptions().getAckTimeoutMs()).isEqualTo(30_000);
        assertThat(info.getOptions().getMaxDeliveries()).isEqualTo(5);
        assertThat(info.getOptions().hasTtlMs()).isFalse();
        assertThat(info.getOptions().getOverflow()).isEqualTo(Overflow.OVERFLOW_REJECT);
        assertThat(info.getCreatedAt().getSeconds()).isPositive();
    }

    @Test
    void declareKeepsEveryOption() {
        DestinationOptions options = DestinationOptions.newBuilder().setPartitions(4).setAckTimeoutMs(1000)
                .setMaxDeliveries(2).setTtlMs(60_000).setMaxLength(10).setOverflow(Overflow.OVERFLOW_DROP_OLDEST).build();

        DestinationInfo info = declare(fx.aliceToken, topic("prices"), options).getDestination();

        assertThat(info.getOptions()).isEqualTo(options);
        assertThat(info.getDestination().getType()).isEqualTo(DestinationType.DESTINATION_TYPE_TOPIC);
        assertThat(info.getSubscriptions()).isZero();
    }

    @Test
    void declaringAnExistingNameForAnotherOwnerOrWithOtherOptionsIsAlreadyExists() {
        declare(fx.aliceToken, queue("orders"));

        assertFails(() -> declare(fx.bobToken, queue("orders")), ErrorCode.ALREADY_EXISTS);
        assertFails(() -> declare(fx.aliceToken, queue("orders"), DestinationOptions.newBuilder().setPartitions(2).build()),
                ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void badNamesAreInvalidName() {
        assertFails(() -> declare(fx.aliceToken, queue("has space")), ErrorCode.INVALID_NAME);
        assertFails(() -> declare(fx.aliceToken, queue("")), ErrorCode.INVALID_NAME);
        assertFails(() -> declare(fx.aliceToken, queue("x".repeat(121))), ErrorCode.INVALID_NAME);
        assertFails(() -> declare(fx.aliceToken, queue("orders.dlq")), ErrorCode.INVALID_NAME);
    }

    @Test
    void optionsOutOfRangeOrAMissingTypeAreInvalidRequestAndCreateNothing() {
        var e = assertFails(() -> declare(fx.aliceToken, queue("q"), DestinationOptions.newBuilder().setPartitions(65).build()),
                ErrorCode.INVALID_REQUEST);
        assertThat(e.getStatus().getDescription()).contains("partitions");
        assertFails(() -> declare(fx.aliceToken, queue("q"), DestinationOptions.newBuilder().setAckTimeoutMs(99).build()),
                ErrorCode.INVALID_REQUEST);
        assertFails(() -> declare(fx.aliceToken, queue("q"), DestinationOptions.newBuilder().setTtlMs(0).build()),
                ErrorCode.INVALID_REQUEST);
        assertFails(() -> declare(fx.aliceToken, DestinationRef.newBuilder().setName("q").build()),
                ErrorCode.INVALID_REQUEST);
        assertFails(() -> fx.destinations(fx.aliceToken).declare(DeclareRequest.getDefaultInstance()),
                ErrorCode.INVALID_REQUEST);

        assertThat(fx.broker.list(io.mom.core.DestinationType.QUEUE, "", 10, "").items()).isEmpty();
    }

    @Test
    void getDescribesDepthAndUnknownIsNotFound() {
        declare(fx.aliceToken, queue("orders"));
        fx.broker.publish(ALICE, io.mom.core.DestinationRef.queue("orders"), OutgoingMessage.of("a")).join();
        fx.broker.publish(ALICE, io.mom.core.DestinationRef.queue("orders"), OutgoingMessage.of("b")).join();
        fx.broker.receive(ALICE, SubscriptionRef.queue("orders"), ReceiveRequest.of(1, Duration.ZERO)).join();

        DestinationInfo info = fx.destinations(fx.bobToken).get(GetRequest.newBuilder().setDestination(queue("orders")).build());

        assertThat(info.getDepth()).isEqualTo(2);
        assertThat(info.getInFlight()).isEqualTo(1);
        assertFails(() -> fx.destinations(fx.aliceToken).get(GetRequest.newBuilder().setDestination(queue("nope")).build()),
                ErrorCode.NOT_FOUND);
        assertFails(() -> fx.destinations(fx.aliceToken).get(GetRequest.newBuilder().setDestination(topic("orders")).build()),
                ErrorCode.NOT_FOUND);
    }

    @Test
    void listPagesInNameOrderWithAPrefixAndACursor() {
        for (String name : new String[] {"b.2", "a.1", "b.1", "b.3"}) {
            declare(fx.aliceToken, queue(name));
        }
        declare(fx.aliceToken, topic("b.topic"));
        ListRequest.Builder request = ListRequest.newBuilder().setType(DestinationType.DESTINATION_TYPE_QUEUE)
                .setPrefix("b.").setLimit(2);

        ListResponse first = fx.destinations(fx.bobToken).list(request.build());
        ListResponse second = fx.destinations(fx.bobToken).list(request.setCursor(first.getNext()).build());

        assertThat(first.getItemsList()).extracting(i -> i.getDestination().getName()).containsExactly("b.1", "b.2");
        assertThat(first.getNext()).isEqualTo("b.2");
        assertThat(second.getItemsList()).extracting(i -> i.getDestination().getName()).containsExactly("b.3");
        assertThat(second.getNext()).isEmpty();
        assertThat(fx.destinations(fx.bobToken).list(ListRequest.newBuilder()
                .setType(DestinationType.DESTINATION_TYPE_TOPIC).build()).getItemsList()).hasSize(1);
        assertFails(() -> fx.destinations(fx.bobToken).list(ListRequest.getDefaultInstance()), ErrorCode.INVALID_REQUEST);
        assertFails(() -> fx.destinations(fx.bobToken).list(request.setLimit(0).build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletes() {
        declare(fx.aliceToken, queue("mine"));
        declare(fx.aliceToken, queue("also-mine"));
        DeleteRequest deleteMine = DeleteRequest.newBuilder().setDestination(queue("mine")).build();

        assertFails(() -> fx.destinations(fx.bobToken).delete(deleteMine), ErrorCode.FORBIDDEN);
        fx.destinations(fx.aliceToken).delete(deleteMine);
        fx.destinations(fx.adminToken).delete(DeleteRequest.newBuilder().setDestination(queue("also-mine")).build());

        assertFails(() -> fx.destinations(fx.aliceToken).delete(deleteMine), ErrorCode.NOT_FOUND);
        assertThat(fx.broker.list(io.mom.core.DestinationType.QUEUE, "", 10, "").items()).isEmpty();
    }

    @Test
    void deleteWithTransferMovesPendingMessagesBeforeAnswering() {
        declare(fx.aliceToken, queue("old"));
        declare(fx.aliceToken, queue("new"));
        fx.broker.publish(ALICE, io.mom.core.DestinationRef.queue("old"), OutgoingMessage.of("kept")).join();

        fx.destinations(fx.aliceToken).delete(DeleteRequest.newBuilder().setDestination(queue("old"))
                .setTransferTo(queue("new")).build());

        assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("new")).depth()).isEqualTo(1);
        assertFails(() -> fx.destinations(fx.aliceToken).delete(DeleteRequest.newBuilder().setDestination(queue("new"))
                .setTransferTo(queue("missing")).build()), ErrorCode.NOT_FOUND);
    }

    @Test
    void subscriptionsAreCreatedListedAndDeleted() {
        declare(fx.aliceToken, topic("prices"));
        CreateSubscriptionRequest create = CreateSubscriptionRequest.newBuilder().setTopic("prices").setName("audit")
                .setOptions(SubscriptionOptions.newBuilder().setMaxDeliveries(3)).build();

        CreateSubscriptionResponse created = fx.destinations(fx.bobToken).createSubscription(create);
        CreateSubscriptionResponse again = fx.destinations(fx.bobToken).createSubscription(create);

        assertThat(created.getCreated()).isTrue();
        assertThat(again.getCreated()).isFalse();
        assertThat(created.getSubscription().getOwner()).isEqualTo("bob");
        assertThat(created.getSubscription().getTopic()).isEqualTo("prices");
        var listed = fx.destinations(fx.aliceToken).listSubscriptions(ListSubscriptionsRequest.newBuilder()
                .setTopic("prices").build()).getItemsList();
        assertThat(listed).extracting(s -> s.getName()).containsExactly("audit");

        fx.destinations(fx.bobToken).deleteSubscription(DeleteSubscriptionRequest.newBuilder().setTopic("prices")
                .setName("audit").build());
        assertThat(fx.destinations(fx.aliceToken).listSubscriptions(ListSubscriptionsRequest.newBuilder()
                .setTopic("prices").build()).getItemsList()).isEmpty();
    }

    @Test
    void subscriptionErrorsCarryTheirCodes() {
        declare(fx.aliceToken, topic("prices"));
        fx.destinations(fx.aliceToken).createSubscription(CreateSubscriptionRequest.newBuilder().setTopic("prices")
                .setName("mine").build());

        assertFails(() -> fx.destinations(fx.bobToken).createSubscription(CreateSubscriptionRequest.newBuilder()
                .setTopic("nope").setName("s").build()), ErrorCode.NOT_FOUND);
        assertFails(() -> fx.destinations(fx.bobToken).createSubscription(CreateSubscriptionRequest.newBuilder()
                .setTopic("prices").setName("bad name").build()), ErrorCode.INVALID_NAME);
        assertFails(() -> fx.destinations(fx.bobToken).createSubscription(CreateSubscriptionRequest.newBuilder()
                .setTopic("prices").setName("s").setOptions(SubscriptionOptions.newBuilder().setMaxDeliveries(0))
                .build()), ErrorCode.INVALID_REQUEST);
        assertFails(() -> fx.destinations(fx.bobToken).deleteSubscription(DeleteSubscriptionRequest.newBuilder()
                .setTopic("prices").setName("mine").build()), ErrorCode.FORBIDDEN);
        assertFails(() -> fx.destinations(fx.bobToken).listSubscriptions(ListSubscriptionsRequest.newBuilder()
                .setTopic("nope").build()), ErrorCode.NOT_FOUND);
    }

    @Test
    void deletingAQueueEndsItsSubscribeStreamsWithDeleted() {
        declare(fx.aliceToken, queue("orders"));
        SubscribeClient stream = SubscribeClient.open(fx.messagingAsync(fx.bobToken), GrpcFixture.queueSource("orders"),
                10, false);
        stream.awaitSubscribed();

        fx.destinations(fx.aliceToken).delete(DeleteRequest.newBuilder().setDestination(queue("orders")).build());

        stream.awaitEnd();
        assertThat(stream.error()).isNull();
        assertThat(stream.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_DELETED);
        assertThat(stream.events.get(stream.events.size() - 1).getClosed().getDestination()).isEqualTo("orders");
    }

    @Test
    void deletingASubscriptionEndsItsStreamsWithUnsubscribed() {
        declare(fx.aliceToken, topic("prices"));
        fx.destinations(fx.bobToken).createSubscription(CreateSubscriptionRequest.newBuilder().setTopic("prices")
                .setName("s").build());
        SubscribeClient stream = SubscribeClient.open(fx.messagingAsync(fx.bobToken),
                GrpcFixture.topicSource("prices", "s"), 10, false);
        stream.awaitSubscribed();

        fx.destinations(fx.bobToken).deleteSubscription(DeleteSubscriptionRequest.newBuilder().setTopic("prices")
                .setName("s").build());

        stream.awaitEnd();
        assertThat(stream.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_UNSUBSCRIBED);
    }

    @Test
    void deletingATopicEndsTheStreamsOfItsSubscriptionsWithDeleted() {
        declare(fx.aliceToken, topic("prices"));
        fx.destinations(fx.bobToken).createSubscription(CreateSubscriptionRequest.newBuilder().setTopic("prices")
                .setName("s").build());
        SubscribeClient stream = SubscribeClient.open(fx.messagingAsync(fx.bobToken),
                GrpcFixture.topicSource("prices", "s"), 10, false);
        stream.awaitSubscribed();

        assertFails(() -> fx.destinations(fx.bobToken).delete(DeleteRequest.newBuilder().setDestination(topic("prices"))
                .build()), ErrorCode.FORBIDDEN);
        fx.destinations(fx.aliceToken).delete(DeleteRequest.newBuilder().setDestination(topic("prices")).build());

        stream.awaitEnd();
        assertThat(stream.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_DELETED);
        assertFails(() -> fx.destinations(fx.aliceToken).get(GetRequest.newBuilder().setDestination(topic("prices"))
                .build()), ErrorCode.NOT_FOUND);
    }
}
