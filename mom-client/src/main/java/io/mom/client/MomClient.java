package io.mom.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a MOM server: users, queues, topics and subscriptions, publishing, pulling and
 * push subscriptions.
 *
 * <pre>{@code
 * try (MomClient client = MomClient.builder().url("http://127.0.0.1:8080").credentials("alice", "secret").build()) {
 *     client.declare(Destination.queue("orders"));
 *     client.publish(Destination.queue("orders"), "hello");
 *     for (Message m : client.receive(Source.queue("orders"), ReceiveOptions.of(10, Duration.ofSeconds(1)))) {
 *         System.out.println(m.text());
 *         m.ack();
 *     }
 *     Subscription sub = client.subscribe(Source.queue("orders"), m -> { handle(m); m.ack(); });
 * }
 * }</pre>
 *
 * <h2>Transport</h2>
 * The URL scheme picks the transport: {@code http://} and {@code https://} speak the REST API
 * ({@code /v1}); {@code grpc://host:port} and {@code grpcs://host:port} (TLS) speak the gRPC API
 * {@code mom.v1} over one HTTP/2 connection, publishing over a stream and pushing with credit-based
 * flow control. Both offer every call, user management included, with the same semantics and
 * exceptions; over gRPC a call the server does not offer fails with the code {@code UNSUPPORTED}.
 * Building a client opens no connection.
 *
 * <h2>Session</h2>
 * The client logs in with its credentials on the first call that needs a session (or on
 * {@link #login()}), then sends the token on every call. When the server answers 401 to a call and
 * credentials are known, the client logs in again once and repeats the call; otherwise the call fails
 * with {@link UnauthorizedException}. A client built with only a token never logs in.
 *
 * <h2>Errors</h2>
 * Every method throws a {@link MomClientException} subclass chosen by the server's error code
 * ({@link NotFoundException}, {@link ConflictException}, {@link QueueFullException}, ...), or
 * {@link UnavailableException} when the server cannot be reached. Nothing is retried by the client
 * except the one re-login; a publish is safe to retry with a producer-chosen id.
 *
 * <h2>Threading and lifecycle</h2>
 * A client is thread-safe and meant to be shared. Blocking methods block the calling thread only;
 * the {@code ...Async} variants do not block. {@link #close()} ends every subscription of the client
 * and makes further calls fail with {@link IllegalStateException}; it is idempotent and does not revoke
 * the token (call {@link #logout()} for that).
 */
public interface MomClient extends AutoCloseable {

    /** A builder for a client; see {@link MomClientBuilder}. */
    static MomClientBuilder builder() {
        return new MomClientBuilder();
    }

    // ---- session -------------------------------------------------------------------------------

    /**
     * Logs in with the configured credentials now, replacing any current session. Not needed before
     * other calls (they log in on demand). {@link UnauthorizedException} for bad credentials;
     * {@link IllegalStateException} when the client has no credentials.
     */
    Session login();

    /**
     * Revokes the current token on the server (everywhere in a cluster) and closes this client's
     * subscriptions. Does nothing when there is no session. A later call logs in again if credentials are known.
     */
    void logout();

    /** The user of the current session. */
    UserInfo me();

    // ---- users (admin, except changing one's own password) -------------------------------------

    /**
     * Creates a user (admin only). An empty role list makes a plain user; {@code "admin"} makes an
     * administrator. {@link ConflictException} if the user exists.
     */
    void createUser(String username, String password, List<String> roles);

    /** All users with their roles (admin only). */
    List<UserInfo> listUsers();

    /** Sets a user's password (that user or an admin); the user's existing tokens are revoked. */
    void changePassword(String username, String newPassword);

    /** Deletes a user (admin only); their tokens are revoked, their destinations stay. */
    void deleteUser(String username);

    // ---- destinations --------------------------------------------------------------------------

    /**
     * Creates a queue or topic owned by the current user, or confirms it exists. Returns {@code true}
     * when it was created, {@code false} when it already existed with the same owner and options.
     * {@link ConflictException} if it exists with another owner or other options;
     * {@link InvalidRequestException} for a bad name (names ending in {@code .dlq} are reserved) or option.
     */
    boolean declare(Destination destination, DestinationOptions options);

    /** {@link #declare(Destination, DestinationOptions)} with the server's default options. */
    default boolean declare(Destination destination) {
        return declare(destination, DestinationOptions.DEFAULTS);
    }

    /** A snapshot of a destination, with its options. {@link NotFoundException} if it does not exist. */
    DestinationInfo describe(Destination destination);

    /** One page of the queues or topics, in name order. */
    Page<DestinationInfo> list(DestinationType type, ListRequest request);

    /** Every queue or topic, following the pages. */
    default List<DestinationInfo> listAll(DestinationType type) {
        List<DestinationInfo> all = new ArrayList<>();
        ListRequest request = ListRequest.ALL;
        while (true) {
            Page<DestinationInfo> page = list(type, request);
            all.addAll(page.items());
            if (page.next().isEmpty() || page.items().isEmpty()) {
                return all;
            }
            request = request.after(page.next().get());
        }
    }

    /**
     * Deletes a destination (its owner or an admin; else {@link ForbiddenException}). Returns once done:
     * with {@link DeletePolicy#transferTo}, the pending messages are already in the target. Consumers
     * of the destination get a deleted notice ({@link MessageHandler#onDeleted}).
     */
    void delete(Destination destination, DeletePolicy policy);

    /** {@link #delete(Destination, DeletePolicy)} dropping the pending messages. */
    default void delete(Destination destination) {
        delete(destination, DeletePolicy.drop());
    }

    // ---- topic subscriptions -------------------------------------------------------------------

    /**
     * Creates the durable subscription {@code subscription} of {@code topic}, or confirms it exists;
     * returns {@code true} when created. It receives the messages published from now on.
     */
    boolean declareSubscription(String topic, String subscription, SubscriptionOptions options);

    /** {@link #declareSubscription(String, String, SubscriptionOptions)} with the topic's options. */
    default boolean declareSubscription(String topic, String subscription) {
        return declareSubscription(topic, subscription, SubscriptionOptions.DEFAULTS);
    }

    /** The subscriptions of a topic, in name order. */
    List<SubscriptionInfo> listSubscriptions(String topic);

    /**
     * Deletes a subscription (its creator, the topic's owner or an admin); its pending messages are
     * released and its consumers get a deleted notice.
     */
    void deleteSubscription(String topic, String subscription);

    // ---- publishing ----------------------------------------------------------------------------

    /**
     * Publishes one message and returns its id once it is durable. {@link QueueFullException} when the
     * destination is full and rejects; {@link PayloadTooLargeException} above the payload limit.
     */
    String publish(Destination destination, OutgoingMessage message);

    /** Publishes a UTF-8 text message; see {@link #publish(Destination, OutgoingMessage)}. */
    default String publish(Destination destination, String text) {
        return publish(destination, OutgoingMessage.text(text));
    }

    /**
     * {@link #publish(Destination, OutgoingMessage)} without blocking. Over REST each call in flight
     * holds one HTTP connection, so bound the number of outstanding calls (or use {@link #publishAll}).
     * Over gRPC, publishes share one stream with at most 1,024 requests on the wire (more wait in the
     * client, in order): keep your own bound on outstanding calls for memory's sake, but a few hundred
     * in flight is what makes a gRPC producer fast.
     */
    CompletableFuture<String> publishAsync(Destination destination, OutgoingMessage message);

    /**
     * Publishes a batch (validated as a whole before anything is stored) and returns the ids in order
     * once all are durable. On a partial commit in a cluster, {@link UnavailableException#committedIds()}
     * names what was stored; retrying with the same producer ids stores each message once.
     */
    List<String> publishAll(Destination destination, List<OutgoingMessage> messages);

    /** {@link #publishAll} without blocking. */
    CompletableFuture<List<String>> publishAllAsync(Destination destination, List<OutgoingMessage> messages);

    // ---- consuming -----------------------------------------------------------------------------

    /**
     * Pulls up to {@code options.max()} messages, waiting up to {@code options.waitTime()} for the first
     * one; an empty list when none came. {@link GoneException} if the source is deleted meanwhile.
     */
    List<Message> receive(Source source, ReceiveOptions options);

    /** Acknowledges receipts of deliveries from {@code source}; see {@link AckResult}. */
    AckResult ack(Source source, List<String> receipts);

    /** Negatively acknowledges receipts of deliveries from {@code source}. */
    AckResult nack(Source source, List<String> receipts, NackMode mode);

    /**
     * Opens a push subscription: the server streams deliveries of {@code source} to {@code handler}.
     * Returns once the stream is open; fails with the server's error otherwise (for example
     * {@link NotFoundException}). Afterwards the client reconnects by itself after a connection loss;
     * see {@link Subscription}.
     */
    Subscription subscribe(Source source, MessageHandler handler, SubscribeOptions options);

    /** {@link #subscribe(Source, MessageHandler, SubscribeOptions)} with {@link SubscribeOptions#DEFAULTS}. */
    default Subscription subscribe(Source source, MessageHandler handler) {
        return subscribe(source, handler, SubscribeOptions.DEFAULTS);
    }

    /** Closes every subscription and releases the client; idempotent. */
    @Override
    void close();
}
