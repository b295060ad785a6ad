package io.mom.transport.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mom.core.AckMode;
import io.mom.core.Broker;
import io.mom.core.Delivery;
import io.mom.core.Identity;
import io.mom.core.NackMode;
import io.mom.core.PublishResult;
import io.mom.core.spi.ClusterView;
import io.mom.grpc.v1.AckRequest;
import io.mom.grpc.v1.AckResponse;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.NackRequest;
import io.mom.grpc.v1.NackResponse;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.PublishResponse;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.ReceiveResponse;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code mom.v1.MessagingService}: publish (unary and streamed), receive, ack, nack and subscribe.
 * The two streaming calls get an object each ({@link PublishStreamCall}, {@link SubscribeCall}) that
 * owns its flow control. Thread-safe.
 */
final class MessagingGrpcService extends MessagingServiceGrpc.MessagingServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(MessagingGrpcService.class);

    private final Broker broker;
    private final OpenStreams streams;
    private final int publishStreamMaxInFlight;
    private final int subscribeBuffer;
    private final Supplier<Optional<ClusterView.Node>> redirect;

    MessagingGrpcService(Broker broker, OpenStreams streams, int publishStreamMaxInFlight, int subscribeBuffer) {
        this(broker, streams, publishStreamMaxInFlight, subscribeBuffer, Optional::empty);
    }

    MessagingGrpcService(Broker broker, OpenStreams streams, int publishStreamMaxInFlight, int subscribeBuffer,
                         Supplier<Optional<ClusterView.Node>> redirect) {
        this.broker = broker;
        this.streams = streams;
        this.publishStreamMaxInFlight = publishStreamMaxInFlight;
        this.subscribeBuffer = subscribeBuffer;
        this.redirect = redirect;
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.replyLater(responseObserver, () -> broker.publishAll(caller,
                        ProtoMapping.destination(request.hasDestination(), request.getDestination(), "destination"),
                        ProtoMapping.outgoing(request.getMessagesList())),
                MessagingGrpcService::published);
    }

    static PublishResponse published(List<PublishResult> results) {
        PublishResponse.Builder b = PublishResponse.newBuilder();
        results.forEach(r -> b.addIds(r.id()));
        return b.build();
    }

    @Override
    public StreamObserver<PublishStreamRequest> publishStream(StreamObserver<PublishStreamResponse> responseObserver) {
        return PublishStreamCall.start(broker, AuthInterceptor.IDENTITY.get(), AuthInterceptor.TOKEN.get(),
                (ServerCallStreamObserver<PublishStreamResponse>) responseObserver, streams, publishStreamMaxInFlight);
    }

    @Override
    public void receive(ReceiveRequest request, StreamObserver<ReceiveResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        var call = (ServerCallStreamObserver<ReceiveResponse>) responseObserver;
        io.mom.core.SubscriptionRef source;
        io.mom.core.ReceiveRequest pull;
        try {
            source = ProtoMapping.source(request.hasSource(), request.getSource());
            pull = new io.mom.core.ReceiveRequest(request.hasMax() ? request.getMax() : 1,
                    Duration.ofMillis(request.getWaitMs()), request.getAutoAck() ? AckMode.AUTO : AckMode.CLIENT);
        } catch (RuntimeException e) {
            UnaryCalls.fail(call, e);
            return;
        }
        UnaryCalls.replyLater(call, () -> {
            CompletableFuture<List<Delivery>> pending = broker.receive(caller, source, pull);
            // A client that goes away (or a node that no longer needs the answer) ends the long poll.
            call.setOnCancelHandler(() -> pending.cancel(false));
            return pending;
        }, deliveries -> {
            if (call.isCancelled()) {
                requeue(caller, source, deliveries);
            }
            ReceiveResponse.Builder b = ReceiveResponse.newBuilder();
            deliveries.forEach(d -> b.addMessages(ProtoMapping.message(d)));
            return b.build();
        });
    }

    /**
     * A long poll whose client went away still got messages: hand them back at once rather than
     * leaving them leased to nobody until the ack timeout (the broker has no way to cancel a pull).
     */
    private void requeue(Identity caller, io.mom.core.SubscriptionRef source, List<Delivery> deliveries) {
        List<String> receipts = deliveries.stream().flatMap(d -> d.receipt().stream()).toList();
        if (receipts.isEmpty()) {
            return;
        }
        broker.nack(caller, source, receipts, NackMode.REQUEUE).whenComplete((r, error) -> {
            if (error != null) {
                log.warn("event=receive_requeue_failed subscription={} error={}", source, error.toString());
            }
        });
    }

    @Override
    public void ack(AckRequest request, StreamObserver<AckResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.replyLater(responseObserver,
                () -> broker.ack(caller, ProtoMapping.source(request.hasSource(), request.getSource()),
                        request.getReceiptsList()),
                r -> AckResponse.newBuilder().setAcked(r.applied()).addAllInvalid(r.invalid()).build());
    }

    @Override
    public void nack(NackRequest request, StreamObserver<NackResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.replyLater(responseObserver,
                () -> broker.nack(caller, ProtoMapping.source(request.hasSource(), request.getSource()),
                        request.getReceiptsList(), request.getDeadLetter() ? NackMode.DEAD_LETTER : NackMode.REQUEUE),
                r -> NackResponse.newBuilder().setNacked(r.applied()).addAllInvalid(r.invalid()).build());
    }

    @Override
    public StreamObserver<SubscribeRequest> subscribe(StreamObserver<SubscribeResponse> responseObserver) {
        Optional<ClusterView.Node> target = redirect.get();
        if (target.isPresent() && !target.get().grpcAddress().isEmpty()) {
            // FR-22: this node is above its load threshold; the client should subscribe on the target.
            Metadata trailers = new Metadata();
            trailers.put(GrpcServer.REDIRECT_TRAILER, target.get().grpcAddress());
            responseObserver.onError(Status.UNAVAILABLE.withDescription("node overloaded; subscribe on "
                    + target.get().id() + " at " + target.get().grpcAddress()).asRuntimeException(trailers));
            return new StreamObserver<>() {
                @Override
                public void onNext(SubscribeRequest value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        return SubscribeCall.start(broker, AuthInterceptor.IDENTITY.get(), AuthInterceptor.TOKEN.get(),
                (ServerCallStreamObserver<SubscribeResponse>) responseObserver, streams, subscribeBuffer);
    }
}
