package io.mom.client.impl;

import io.mom.client.AckResult;
import io.mom.client.DeletePolicy;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.ListRequest;
import io.mom.client.NackMode;
import io.mom.client.OutgoingMessage;
import io.mom.client.Page;
import io.mom.client.ReceiveOptions;
import io.mom.client.Session;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.UserInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One wire protocol (REST, gRPC) for the client: each method is one server call, authenticated with
 * the given bearer token, and maps the server's answer to client values. No session handling, no
 * retries: {@link RemoteMomClient} does that for every transport alike.
 *
 * <p>Failures complete the future exceptionally with a {@link io.mom.client.MomClientException}
 * subclass built by {@link Errors#fromCode}; an unreachable server is an
 * {@link io.mom.client.UnavailableException} with no status. Implementations are thread-safe and
 * never block the caller of an asynchronous method.
 */
public interface Transport extends AutoCloseable {

    CompletableFuture<Session> login(String username, String password);

    CompletableFuture<Void> logout(String token);

    CompletableFuture<UserInfo> me(String token);

    CompletableFuture<Void> createUser(String token, String username, String password, List<String> roles);

    CompletableFuture<List<UserInfo>> listUsers(String token);

    CompletableFuture<Void> changePassword(String token, String username, String password);

    CompletableFuture<Void> deleteUser(String token, String username);

    /** Completes with true when created, false when it already existed. */
    CompletableFuture<Boolean> declare(String token, Destination destination, DestinationOptions options);

    CompletableFuture<DestinationInfo> describe(String token, Destination destination);

    CompletableFuture<Page<DestinationInfo>> list(String token, DestinationType type, ListRequest request);

    CompletableFuture<Void> delete(String token, Destination destination, DeletePolicy policy);

    /** Completes with true when created, false when it already existed. */
    CompletableFuture<Boolean> declareSubscription(String token, String topic, String subscription,
                                                   SubscriptionOptions options);

    CompletableFuture<List<SubscriptionInfo>> listSubscriptions(String token, String topic);

    CompletableFuture<Void> deleteSubscription(String token, String topic, String subscription);

    /** Publishes one message; completes with its id. */
    CompletableFuture<String> publish(String token, Destination destination, OutgoingMessage message);

    /** Publishes a batch; completes with the ids in order. */
    CompletableFuture<List<String>> publishBatch(String token, Destination destination, List<OutgoingMessage> messages);

    CompletableFuture<List<Delivery>> receive(String token, Source source, ReceiveOptions options);

    CompletableFuture<AckResult> ack(String token, Source source, List<String> receipts);

    CompletableFuture<AckResult> nack(String token, Source source, List<String> receipts, NackMode mode);

    /**
     * Opens a push stream and blocks until the server has accepted it (or throws the server's
     * {@link io.mom.client.MomClientException}, or {@link io.mom.client.UnavailableException} when
     * unreachable). Called from a subscription's own thread.
     */
    PushStream openStream(String token, Source source, SubscribeOptions options);

    /** Releases connections; idempotent. */
    @Override
    void close();
}
