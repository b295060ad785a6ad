package io.mom.client.impl.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.mom.client.AckMode;
import io.mom.client.AckResult;
import io.mom.client.ClientOptions;
import io.mom.client.DeletePolicy;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.ListRequest;
import io.mom.client.MomClientException;
import io.mom.client.NackMode;
import io.mom.client.NotFoundException;
import io.mom.client.OutgoingMessage;
import io.mom.client.Page;
import io.mom.client.ReceiveOptions;
import io.mom.client.Session;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.UnavailableException;
import io.mom.client.UserInfo;
import io.mom.client.impl.Delivery;
import io.mom.client.impl.Errors;
import io.mom.client.impl.PushStream;
import io.mom.client.impl.Transport;
import io.mom.grpc.v1.AckRequest;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.ChangePasswordRequest;
import io.mom.grpc.v1.CreateUserRequest;
import io.mom.grpc.v1.DeleteUserRequest;
import io.mom.grpc.v1.ListUsersRequest;
import io.mom.grpc.v1.UserServiceGrpc;
import io.mom.grpc.v1.CreateSubscriptionRequest;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DeleteRequest;
import io.mom.grpc.v1.DeleteSubscriptionRequest;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.GetRequest;
import io.mom.grpc.v1.ListSubscriptionsRequest;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.LogoutRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.NackRequest;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.WhoAmIRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link Transport} over the gRPC API {@code mom.v1} on one HTTP/2 channel (connected lazily,
 * reconnected by gRPC). Administration, pulls, acks and nacks are unary calls with the request timeout
 * as deadline; publishes go through a {@link PublishPipeline}; push subscriptions are
 * {@link GrpcPushStream}s. User administration uses {@code mom.v1.UserService}; a server that does not
 * offer a method answers {@code UNIMPLEMENTED}, which fails with the code {@value #UNSUPPORTED}.
 * Thread-safe.
 */
public final class GrpcTransport implements Transport {
    /** Code of the calls the server does not offer (gRPC status {@code UNIMPLEMENTED}). */
    public static final String UNSUPPORTED = "UNSUPPORTED";
    /** Users asked for per {@code ListUsers} call. */
    static final int USER_PAGE = 1000;

    private final ManagedChannel channel;
    private final Duration requestTimeout;
    private final Duration openTimeout;
    private final PublishPipeline publisher;
    private final ScheduledExecutorService timer;
    private final CallbackExecutor callbacks;
    private final ClientOptions clientOptions;
    /** Channels to the nodes that push streams were redirected to, by gRPC address. */
    private final Map<String, ManagedChannel> redirects = new ConcurrentHashMap<>();

    /** A transport for the options' {@code grpc}/{@code grpcs} URL. */
    public GrpcTransport(ClientOptions options) {
        this.channel = GrpcChannels.open(options);
        this.clientOptions = options;
        this.requestTimeout = options.requestTimeout();
        this.openTimeout = options.connectTimeout().plus(options.requestTimeout());
        this.callbacks = new CallbackExecutor();
        this.publisher = new PublishPipeline(channel, requestTimeout, callbacks);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mom-grpc-client-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(publisher::expireStale, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public CompletableFuture<Session> login(String username, String password) {
        return unary(AuthServiceGrpc.getLoginMethod(), null,
                LoginRequest.newBuilder().setUsername(username).setPassword(password).build(), "login",
                r -> new Session(r.getToken(), GrpcMapping.instant(r.getExpiresAt())));
    }

    @Override
    public CompletableFuture<Void> logout(String token) {
        publisher.retire(token);
        return unary(AuthServiceGrpc.getLogoutMethod(), token, LogoutRequest.getDefaultInstance(), "logout", r -> null);
    }

    @Override
    public CompletableFuture<UserInfo> me(String token) {
        return unary(AuthServiceGrpc.getWhoAmIMethod(), token, WhoAmIRequest.getDefaultInstance(), "who am I",
                r -> new UserInfo(r.getUsername(), r.getRolesList()));
    }

    @Override
    public CompletableFuture<Void> createUser(String token, String username, String password, List<String> roles) {
        return unary(UserServiceGrpc.getCreateUserMethod(), token, CreateUserRequest.newBuilder()
                .setUsername(username).setPassword(password).addAllRoles(roles).build(),
                "create user " + username, r -> null);
    }

    /** Reads every page of {@code ListUsers}, as REST answers the whole list at once. */
    @Override
    public CompletableFuture<List<UserInfo>> listUsers(String token) {
        return listUsers(token, "", new ArrayList<>());
    }

    private CompletableFuture<List<UserInfo>> listUsers(String token, String cursor, List<UserInfo> sofar) {
        ListUsersRequest request = ListUsersRequest.newBuilder().setLimit(USER_PAGE).setCursor(cursor).build();
        return unary(UserServiceGrpc.getListUsersMethod(), token, request, "list users", r -> r)
                .thenCompose(page -> {
                    page.getItemsList().forEach(u -> sofar.add(new UserInfo(u.getUsername(), u.getRolesList())));
                    return page.getNext().isEmpty() ? CompletableFuture.completedFuture(List.copyOf(sofar))
                            : listUsers(token, page.getNext(), sofar);
                });
    }

    @Override
    public CompletableFuture<Void> changePassword(String token, String username, String password) {
        return unary(UserServiceGrpc.getChangePasswordMethod(), token, ChangePasswordRequest.newBuilder()
                .setUsername(username).setPassword(password).build(), "change the password of " + username, r -> null);
    }

    @Override
    public CompletableFuture<Void> deleteUser(String token, String username) {
        return unary(UserServiceGrpc.getDeleteUserMethod(), token,
                DeleteUserRequest.newBuilder().setUsername(username).build(), "delete user " + username, r -> null);
    }

    @Override
    public CompletableFuture<Boolean> declare(String token, Destination destination, DestinationOptions options) {
        return unary(DestinationServiceGrpc.getDeclareMethod(), token, DeclareRequest.newBuilder()
                .setDestination(GrpcMapping.ref(destination)).setOptions(GrpcMapping.options(options)).build(),
                "declare " + destination, r -> r.getCreated());
    }

    @Override
    public CompletableFuture<DestinationInfo> describe(String token, Destination destination) {
        return unary(DestinationServiceGrpc.getGetMethod(), token,
                GetRequest.newBuilder().setDestination(GrpcMapping.ref(destination)).build(),
                "describe " + destination, GrpcMapping::info);
    }

    @Override
    public CompletableFuture<Page<DestinationInfo>> list(String token, DestinationType type, ListRequest request) {
        io.mom.grpc.v1.ListRequest.Builder b = io.mom.grpc.v1.ListRequest.newBuilder().setType(GrpcMapping.type(type));
        request.prefix().ifPresent(b::setPrefix);
        request.limit().ifPresent(b::setLimit);
        request.cursor().ifPresent(b::setCursor);
        return unary(DestinationServiceGrpc.getListMethod(), token, b.build(), "list", r -> {
            List<DestinationInfo> items = new ArrayList<>(r.getItemsCount());
            r.getItemsList().forEach(i -> items.add(GrpcMapping.info(i)));
            return new Page<>(items, r.getNext().isEmpty() ? Optional.empty() : Optional.of(r.getNext()));
        });
    }

    @Override
    public CompletableFuture<Void> delete(String token, Destination destination, DeletePolicy policy) {
        DeleteRequest.Builder b = DeleteRequest.newBuilder().setDestination(GrpcMapping.ref(destination));
        if (policy.transferTo().isEmpty()) {
            return unary(DestinationServiceGrpc.getDeleteMethod(), token, b.build(), "delete " + destination, r -> null);
        }
        // The policy names the target only; like REST, find out whether it is a queue or a topic.
        String target = policy.transferTo().get();
        return describe(token, Destination.queue(target))
                .thenApply(info -> Destination.queue(target))
                .exceptionallyCompose(error -> Errors.unwrap(error) instanceof NotFoundException
                        ? CompletableFuture.completedFuture(Destination.topic(target))
                        : CompletableFuture.failedFuture(Errors.unwrap(error)))
                .thenCompose(to -> unary(DestinationServiceGrpc.getDeleteMethod(), token,
                        b.setTransferTo(GrpcMapping.ref(to)).build(), "delete " + destination, r -> null));
    }

    @Override
    public CompletableFuture<Boolean> declareSubscription(String token, String topic, String subscription,
                                                          SubscriptionOptions options) {
        return unary(DestinationServiceGrpc.getCreateSubscriptionMethod(), token, CreateSubscriptionRequest.newBuilder()
                .setTopic(topic).setName(subscription).setOptions(GrpcMapping.options(options)).build(),
                "declare subscription " + topic + "/" + subscription, r -> r.getCreated());
    }

    @Override
    public CompletableFuture<List<SubscriptionInfo>> listSubscriptions(String token, String topic) {
        return unary(DestinationServiceGrpc.getListSubscriptionsMethod(), token,
                ListSubscriptionsRequest.newBuilder().setTopic(topic).build(), "list subscriptions of " + topic,
                r -> r.getItemsList().stream().map(GrpcMapping::info).toList());
    }

    @Override
    public CompletableFuture<Void> deleteSubscription(String token, String topic, String subscription) {
        return unary(DestinationServiceGrpc.getDeleteSubscriptionMethod(), token,
                DeleteSubscriptionRequest.newBuilder().setTopic(topic).setName(subscription).build(),
                "delete subscription " + topic + "/" + subscription, r -> null);
    }

    @Override
    public CompletableFuture<String> publish(String token, Destination destination, OutgoingMessage message) {
        return publisher.publish(token, destination, List.of(message)).thenApply(ids -> ids.get(0));
    }

    @Override
    public CompletableFuture<List<String>> publishBatch(String token, Destination destination,
                                                        List<OutgoingMessage> messages) {
        return publisher.publish(token, destination, messages);
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(String token, Source source, ReceiveOptions options) {
        ReceiveRequest request = ReceiveRequest.newBuilder().setSource(GrpcMapping.source(source))
                .setMax(options.max()).setWaitMs(options.waitTime().toMillis())
                .setAutoAck(options.ackMode() == AckMode.AUTO).build();
        return unary(MessagingServiceGrpc.getReceiveMethod(), token, request, requestTimeout.plus(options.waitTime()),
                "receive from " + source, r -> {
                    List<Delivery> out = new ArrayList<>(r.getMessagesCount());
                    r.getMessagesList().forEach(m -> out.add(GrpcMapping.delivery(m)));
                    return out;
                });
    }

    @Override
    public CompletableFuture<AckResult> ack(String token, Source source, List<String> receipts) {
        return unary(MessagingServiceGrpc.getAckMethod(), token, AckRequest.newBuilder()
                .setSource(GrpcMapping.source(source)).addAllReceipts(receipts).build(), "ack",
                r -> new AckResult(r.getAcked(), r.getInvalidList()));
    }

    @Override
    public CompletableFuture<AckResult> nack(String token, Source source, List<String> receipts, NackMode mode) {
        return unary(MessagingServiceGrpc.getNackMethod(), token, NackRequest.newBuilder()
                .setSource(GrpcMapping.source(source)).addAllReceipts(receipts)
                .setDeadLetter(mode == NackMode.DEAD_LETTER).build(), "nack",
                r -> new AckResult(r.getNacked(), r.getInvalidList()));
    }

    /**
     * Opens a push stream; a loaded cluster node may refuse it naming a less-loaded one (FR-22), where
     * it is then opened instead (as REST follows a 307). Reconnects start at the URL again.
     */
    @Override
    public PushStream openStream(String token, Source source, SubscribeOptions options) {
        // The subscription paces its reconnects itself: do not let gRPC's own (longer) backoff delay them.
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        try {
            return GrpcPushStream.open(channel, token, source, options, openTimeout, callbacks);
        } catch (UnavailableException e) {
            Optional<String> target = GrpcErrors.redirect(e);
            if (target.isEmpty()) {
                throw e;
            }
            ManagedChannel other = redirects.computeIfAbsent(target.get(), a -> GrpcChannels.open(clientOptions, a));
            return GrpcPushStream.open(other, token, source, options, openTimeout, callbacks);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        publisher.close();
        channel.shutdownNow();
        redirects.values().forEach(ManagedChannel::shutdownNow);
        callbacks.close();
    }

    private <Q, R, T> CompletableFuture<T> unary(MethodDescriptor<Q, R> method, String token, Q request, String what,
                                                 Function<R, T> decode) {
        return unary(method, token, request, requestTimeout, what, decode);
    }

    private <Q, R, T> CompletableFuture<T> unary(MethodDescriptor<Q, R> method, String token, Q request,
                                                 Duration deadline, String what, Function<R, T> decode) {
        CompletableFuture<T> result = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(method, GrpcChannels.call(token, deadline)), request,
                new StreamObserver<R>() {
                    @Override
                    public void onNext(R value) {
                        try {
                            result.complete(decode.apply(value));
                        } catch (RuntimeException e) {
                            result.completeExceptionally(new MomClientException(Errors.INVALID_RESPONSE,
                                    MomClientException.NO_STATUS, "invalid response to " + what + ": " + e, e));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(GrpcErrors.of(t, what));
                    }

                    @Override
                    public void onCompleted() {
                        // the value arrived in onNext
                    }
                });
        return result;
    }
}
