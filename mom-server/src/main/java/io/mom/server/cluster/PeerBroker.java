package io.mom.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mom.core.AckResult;
import io.mom.core.Declared;
import io.mom.core.Delivery;
import io.mom.core.DeletePolicy;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.OutgoingMessage;
import io.mom.core.PublishResult;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.grpc.v1.AckRequest;
import io.mom.grpc.v1.CreateSubscriptionRequest;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DeleteRequest;
import io.mom.grpc.v1.DeleteSubscriptionRequest;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.GetRequest;
import io.mom.grpc.v1.ListSubscriptionsRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.NackRequest;
import io.mom.transport.grpc.StatusMapping;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The broker of one peer node, reached over the client gRPC API: each call carries a
 * {@link PeerToken} for the original caller, the {@link Forwarding} mark and a deadline. Failures come
 * back as the {@link MomException} the peer raised (its error code travels in the call's trailers),
 * or {@code UNAVAILABLE} when the peer cannot be reached in time. Thread-safe.
 */
final class PeerBroker {
    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Ack calls of one caller and subscription that may be out at once; later acks wait and merge. */
    private static final int ACKS_IN_FLIGHT = 2;

    private record AckKey(Identity caller, SubscriptionRef ref) {
    }

    private final String nodeId;
    private final ManagedChannel channel;
    private final PeerToken tokens;
    private final Map<AckKey, AckCoalescer> acks = new ConcurrentHashMap<>();
    private final Map<Identity, PeerPublisher> publishers = new ConcurrentHashMap<>();

    PeerBroker(String nodeId, ManagedChannel channel, PeerToken tokens) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.tokens = tokens;
    }

    String nodeId() {
        return nodeId;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** Credentials of a call made for {@code caller}. */
    CallCredentials credentials(Identity caller) {
        String token = tokens.issue(caller);
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                headers.put(Forwarding.HEADER, "1");
                applier.apply(headers);
            }
        };
    }

    private DestinationServiceGrpc.DestinationServiceBlockingStub destinations(Identity caller) {
        return DestinationServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials(caller))
                .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private MessagingServiceGrpc.MessagingServiceFutureStub messaging(Identity caller, Duration extra) {
        return MessagingServiceGrpc.newFutureStub(channel).withCallCredentials(credentials(caller))
                .withDeadlineAfter(DEADLINE.plus(extra).toMillis(), TimeUnit.MILLISECONDS);
    }

    Declared<DestinationInfo> declare(Identity caller, DestinationRef ref, DestinationOptions options) {
        try {
            var r = destinations(caller).declare(DeclareRequest.newBuilder().setDestination(PeerMapping.ref(ref))
                    .setOptions(PeerMapping.options(options)).build());
            return new Declared<>(PeerMapping.info(r.getDestination()), r.getCreated());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    DestinationInfo describe(Identity caller, DestinationRef ref) {
        try {
            return PeerMapping.info(destinations(caller).get(GetRequest.newBuilder()
                    .setDestination(PeerMapping.ref(ref)).build()));
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    void delete(Identity caller, DestinationRef ref, DeletePolicy policy) {
        DeleteRequest.Builder b = DeleteRequest.newBuilder().setDestination(PeerMapping.ref(ref));
        policy.transferTo().ifPresent(t -> b.setTransferTo(PeerMapping.ref(t)));
        try {
            destinations(caller).delete(b.build());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef ref, SubscriptionOptions options) {
        try {
            var r = destinations(caller).createSubscription(CreateSubscriptionRequest.newBuilder()
                    .setTopic(ref.destination().name()).setName(ref.subscription())
                    .setOptions(PeerMapping.options(options)).build());
            return new Declared<>(PeerMapping.info(r.getSubscription()), r.getCreated());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    void unsubscribe(Identity caller, SubscriptionRef ref) {
        try {
            destinations(caller).deleteSubscription(DeleteSubscriptionRequest.newBuilder()
                    .setTopic(ref.destination().name()).setName(ref.subscription()).build());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    List<SubscriptionInfo> subscriptions(Identity caller, DestinationRef topic) {
        try {
            return destinations(caller).listSubscriptions(ListSubscriptionsRequest.newBuilder()
                    .setTopic(topic.name()).build()).getItemsList().stream().map(PeerMapping::info).toList();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    /** Publishes on the leader, on the caller's publish streams to it ({@link PeerPublisher}). */
    CompletableFuture<List<PublishResult>> publish(Identity caller, DestinationRef ref, List<OutgoingMessage> messages) {
        return publishers.computeIfAbsent(caller, c -> new PeerPublisher(this, c)).publish(ref, messages);
    }

    CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef ref, ReceiveRequest request) {
        var req = io.mom.grpc.v1.ReceiveRequest.newBuilder().setSource(PeerMapping.ref(ref))
                .setMax(request.max()).setWaitMs(request.waitTime().toMillis())
                .setAutoAck(PeerMapping.autoAck(request.ackMode())).build();
        return call(messaging(caller, request.waitTime()).receive(req),
                r -> r.getMessagesList().stream().map(m -> PeerMapping.delivery(ref, m)).toList());
    }

    /** Acks on the leader; acks of one caller and subscription are merged while calls are out ({@link AckCoalescer}). */
    CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef ref, List<String> receipts) {
        AckKey key = new AckKey(caller, ref);
        return acks.computeIfAbsent(key, k -> new AckCoalescer(r -> ackNow(caller, ref, r), ACKS_IN_FLIGHT,
                () -> acks.computeIfPresent(k, (x, c) -> c.idle() ? null : c))).ack(receipts);
    }

    private CompletableFuture<AckResult> ackNow(Identity caller, SubscriptionRef ref, List<String> receipts) {
        return call(messaging(caller, Duration.ZERO).ack(AckRequest.newBuilder().setSource(PeerMapping.ref(ref))
                .addAllReceipts(receipts).build()), r -> new AckResult(r.getAcked(), r.getInvalidList()));
    }

    CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef ref, List<String> receipts, NackMode mode) {
        return call(messaging(caller, Duration.ZERO).nack(NackRequest.newBuilder().setSource(PeerMapping.ref(ref))
                        .addAllReceipts(receipts).setDeadLetter(mode == NackMode.DEAD_LETTER).build()),
                r -> new AckResult(r.getNacked(), r.getInvalidList()));
    }

    private <P, T> CompletableFuture<T> call(ListenableFuture<P> call, Function<P, T> map) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Futures.addCallback(call, new FutureCallback<P>() {
            @Override
            public void onSuccess(P value) {
                try {
                    result.complete(map.apply(value));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Throwable error) {
                result.completeExceptionally(translate(error));
            }
        }, MoreExecutors.directExecutor());
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                call.cancel(true);
            }
        });
        return result;
    }

    /** The peer's error as the core exception it was, or UNAVAILABLE when the peer was not reached. */
    MomException translate(Throwable error) {
        if (error instanceof StatusRuntimeException) {
            StatusRuntimeException sre = (StatusRuntimeException) error;
            var code = StatusMapping.errorCodeOf(sre);
            if (code.isPresent()) {
                return new MomException(code.get(), sre.getStatus().getDescription());
            }
            Status.Code status = sre.getStatus().getCode();
            if (status == Status.Code.UNAUTHENTICATED) {
                return new MomException(ErrorCode.UNAUTHORIZED, "node " + nodeId + " refused the cluster credentials");
            }
        }
        return new MomException(ErrorCode.UNAVAILABLE, "node " + nodeId + " (leader) is unreachable: "
                + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()), error);
    }
}
