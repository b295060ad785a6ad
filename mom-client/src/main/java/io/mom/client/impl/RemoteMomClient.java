package io.mom.client.impl;

import io.mom.client.AckResult;
import io.mom.client.ClientOptions;
import io.mom.client.DeletePolicy;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.ListRequest;
import io.mom.client.Message;
import io.mom.client.MessageHandler;
import io.mom.client.MomClient;
import io.mom.client.NackMode;
import io.mom.client.OutgoingMessage;
import io.mom.client.Page;
import io.mom.client.ReceiveOptions;
import io.mom.client.Session;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.Subscription;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.UnauthorizedException;
import io.mom.client.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@link MomClient} of every transport: validates arguments, runs each call through the
 * {@link SessionKeeper}, binds deliveries to their source as {@link Message}s and keeps the push
 * subscriptions it created so that {@link #close()} and {@link #logout()} end them. A push delivery gives
 * its stream's credit back however it is settled, {@link #ack(Source, List)} and {@link #nack} included
 * ({@link OpenDeliveries}). Thread-safe.
 */
public final class RemoteMomClient implements MomClient {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteMomClient.class);

    private final Transport transport;
    private final SessionKeeper sessions;
    private final Backoff backoff;
    private final Set<PushSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Deliveries of the push streams awaiting a settlement, which gives their stream's credit back. */
    private final OpenDeliveries deliveries = new OpenDeliveries();
    /** Acks of single messages, coalesced per source while a call is in flight. */
    private final AckBatcher acks = new AckBatcher(this::sendAck);
    private final ReceivedMessage.Settler settler = new ReceivedMessage.Settler() {
        @Override
        public CompletableFuture<Boolean> ack(Source source, String receipt) {
            return acks.ack(source, receipt);
        }

        @Override
        public CompletableFuture<Boolean> nack(Source source, String receipt, NackMode mode) {
            return callAsync(t -> transport.nack(t, source, List.of(receipt), mode)).thenApply(r -> r.invalid().isEmpty());
        }
    };

    /** A client over {@code transport}, which it closes on {@link #close()}. */
    public RemoteMomClient(ClientOptions options, Transport transport) {
        this(options, transport, new Backoff(options.reconnectInitial(), options.reconnectMax()), Clock.systemUTC());
    }

    RemoteMomClient(ClientOptions options, Transport transport, Backoff backoff, Clock clock) {
        Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.sessions = new SessionKeeper(transport, options, clock);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    @Override
    public Session login() {
        checkOpen();
        return Errors.await(sessions.login());
    }

    @Override
    public void logout() {
        checkOpen();
        closeSubscriptions();
        String token = sessions.clear();
        if (token == null) {
            return;
        }
        try {
            Errors.await(transport.logout(token));
        } catch (UnauthorizedException e) {
            LOG.debug("token was already invalid at logout");
        }
    }

    @Override
    public UserInfo me() {
        return call(transport::me);
    }

    @Override
    public void createUser(String username, String password, List<String> roles) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        List<String> r = List.copyOf(roles);
        call(t -> transport.createUser(t, username, password, r));
    }

    @Override
    public List<UserInfo> listUsers() {
        return call(transport::listUsers);
    }

    @Override
    public void changePassword(String username, String newPassword) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(newPassword, "newPassword");
        call(t -> transport.changePassword(t, username, newPassword));
    }

    @Override
    public void deleteUser(String username) {
        Objects.requireNonNull(username, "username");
        call(t -> transport.deleteUser(t, username));
    }

    @Override
    public boolean declare(Destination destination, DestinationOptions options) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(options, "options");
        return call(t -> transport.declare(t, destination, options));
    }

    @Override
    public DestinationInfo describe(Destination destination) {
        Objects.requireNonNull(destination, "destination");
        return call(t -> transport.describe(t, destination));
    }

    @Override
    public Page<DestinationInfo> list(DestinationType type, ListRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        return call(t -> transport.list(t, type, request));
    }

    @Override
    public void delete(Destination destination, DeletePolicy policy) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(policy, "policy");
        call(t -> transport.delete(t, destination, policy));
    }

    @Override
    public boolean declareSubscription(String topic, String subscription, SubscriptionOptions options) {
        Source source = Source.subscription(topic, subscription);
        Objects.requireNonNull(options, "options");
        return call(t -> transport.declareSubscription(t, topic, source.subscription().orElseThrow(), options));
    }

    @Override
    public List<SubscriptionInfo> listSubscriptions(String topic) {
        Objects.requireNonNull(topic, "topic");
        return call(t -> transport.listSubscriptions(t, topic));
    }

    @Override
    public void deleteSubscription(String topic, String subscription) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscription, "subscription");
        call(t -> transport.deleteSubscription(t, topic, subscription));
    }

    @Override
    public String publish(Destination destination, OutgoingMessage message) {
        return Errors.await(publishAsync(destination, message));
    }

    @Override
    public CompletableFuture<String> publishAsync(Destination destination, OutgoingMessage message) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
        return callAsync(t -> transport.publish(t, destination, message));
    }

    @Override
    public List<String> publishAll(Destination destination, List<OutgoingMessage> messages) {
        return Errors.await(publishAllAsync(destination, messages));
    }

    @Override
    public CompletableFuture<List<String>> publishAllAsync(Destination destination, List<OutgoingMessage> messages) {
        Objects.requireNonNull(destination, "destination");
        List<OutgoingMessage> batch = List.copyOf(messages);
        if (batch.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return callAsync(t -> transport.publishBatch(t, destination, batch));
    }

    @Override
    public List<Message> receive(Source source, ReceiveOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        List<Delivery> got = call(t -> transport.receive(t, source, options));
        List<Message> messages = new ArrayList<>(got.size());
        for (Delivery d : got) {
            messages.add(new ReceivedMessage(d, source, settler));
        }
        return List.copyOf(messages);
    }

    @Override
    public AckResult ack(Source source, List<String> receipts) {
        Objects.requireNonNull(source, "source");
        List<String> r = List.copyOf(receipts);
        deliveries.settled(r);
        return call(t -> transport.ack(t, source, r));
    }

    @Override
    public AckResult nack(Source source, List<String> receipts, NackMode mode) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        List<String> r = List.copyOf(receipts);
        deliveries.settled(r);
        return call(t -> transport.nack(t, source, r, mode));
    }

    @Override
    public Subscription subscribe(Source source, MessageHandler handler, SubscribeOptions options) {
        checkOpen();
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        Function<Source, PushStream> opener = s -> sessions.callBlocking(t -> transport.openStream(t, s, options));
        PushSubscription sub = new PushSubscription(source, handler, options, opener, settler, deliveries, backoff,
                subscriptions::remove);
        subscriptions.add(sub);
        sub.start();
        if (closed.get()) {
            sub.close();
            checkOpen();
        }
        return sub;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSubscriptions();
            transport.close();
        }
    }

    private void closeSubscriptions() {
        for (PushSubscription s : List.copyOf(subscriptions)) {
            s.close();
        }
    }

    private CompletableFuture<AckResult> sendAck(Source source, List<String> receipts) {
        return callAsync(t -> transport.ack(t, source, receipts));
    }

    private <T> T call(Function<String, CompletableFuture<T>> op) {
        return Errors.await(callAsync(op));
    }

    private <T> CompletableFuture<T> callAsync(Function<String, CompletableFuture<T>> op) {
        checkOpen();
        return sessions.call(op);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("client is closed");
        }
    }
}
