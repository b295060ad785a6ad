package io.mom.transport.grpc;

import io.grpc.stub.StreamObserver;
import io.mom.core.Broker;
import io.mom.core.DeletePolicy;
import io.mom.core.Identity;
import io.mom.core.Page;
import io.mom.grpc.v1.CreateSubscriptionRequest;
import io.mom.grpc.v1.CreateSubscriptionResponse;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DeclareResponse;
import io.mom.grpc.v1.DeleteRequest;
import io.mom.grpc.v1.DeleteResponse;
import io.mom.grpc.v1.DeleteSubscriptionRequest;
import io.mom.grpc.v1.DeleteSubscriptionResponse;
import io.mom.grpc.v1.DestinationInfo;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.GetRequest;
import io.mom.grpc.v1.ListRequest;
import io.mom.grpc.v1.ListResponse;
import io.mom.grpc.v1.ListSubscriptionsRequest;
import io.mom.grpc.v1.ListSubscriptionsResponse;

/**
 * {@code mom.v1.DestinationService}: queues, topics and subscriptions, each call a direct translation
 * of one {@link Broker} operation. Thread-safe.
 */
final class DestinationGrpcService extends DestinationServiceGrpc.DestinationServiceImplBase {
    static final int DEFAULT_LIST_LIMIT = 100;

    private final Broker broker;

    DestinationGrpcService(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void declare(DeclareRequest request, StreamObserver<DeclareResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            var ref = ProtoMapping.destination(request.hasDestination(), request.getDestination(), "destination");
            var declared = broker.declare(caller, ref, ProtoMapping.options(request.getOptions()));
            return DeclareResponse.newBuilder()
                    .setDestination(ProtoMapping.info(declared.value()))
                    .setCreated(declared.created())
                    .build();
        });
    }

    @Override
    public void get(GetRequest request, StreamObserver<DestinationInfo> responseObserver) {
        UnaryCalls.reply(responseObserver, () -> ProtoMapping.info(broker.describe(
                ProtoMapping.destination(request.hasDestination(), request.getDestination(), "destination"))));
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> responseObserver) {
        UnaryCalls.reply(responseObserver, () -> {
            int limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIST_LIMIT;
            Page<io.mom.core.DestinationInfo> page = broker.list(ProtoMapping.type(request.getType(), "type"),
                    request.getPrefix(), limit, request.getCursor());
            ListResponse.Builder b = ListResponse.newBuilder();
            page.items().forEach(info -> b.addItems(ProtoMapping.info(info)));
            page.next().ifPresent(b::setNext);
            return b.build();
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.replyLater(responseObserver, () -> {
            var ref = ProtoMapping.destination(request.hasDestination(), request.getDestination(), "destination");
            DeletePolicy policy = request.hasTransferTo()
                    ? DeletePolicy.transferTo(ProtoMapping.destination(true, request.getTransferTo(), "transfer_to"))
                    : DeletePolicy.drop();
            return broker.delete(caller, ref, policy);
        }, done -> DeleteResponse.getDefaultInstance());
    }

    @Override
    public void createSubscription(CreateSubscriptionRequest request,
                                   StreamObserver<CreateSubscriptionResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            var declared = broker.subscribe(caller, ProtoMapping.topicSubscription(request.getTopic(), request.getName()),
                    ProtoMapping.subscriptionOptions(request.getOptions()));
            return CreateSubscriptionResponse.newBuilder()
                    .setSubscription(ProtoMapping.info(declared.value()))
                    .setCreated(declared.created())
                    .build();
        });
    }

    @Override
    public void listSubscriptions(ListSubscriptionsRequest request,
                                  StreamObserver<ListSubscriptionsResponse> responseObserver) {
        UnaryCalls.reply(responseObserver, () -> {
            ListSubscriptionsResponse.Builder b = ListSubscriptionsResponse.newBuilder();
            broker.subscriptions(io.mom.core.DestinationRef.topic(request.getTopic()))
                    .forEach(info -> b.addItems(ProtoMapping.info(info)));
            return b.build();
        });
    }

    @Override
    public void deleteSubscription(DeleteSubscriptionRequest request,
                                   StreamObserver<DeleteSubscriptionResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            broker.unsubscribe(caller, ProtoMapping.topicSubscription(request.getTopic(), request.getName()));
            return DeleteSubscriptionResponse.getDefaultInstance();
        });
    }
}
