package io.mom.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The transport-neutral messaging service: queues, topics, subscriptions, publish, pull, push, ack.
 * Every operation takes the caller's {@link Identity}; REST, gRPC and embedded applications all call
 * this one API. Errors are {@link MomException}s with stable codes, thrown directly for invalid
 * requests (nothing has changed then) or completing the returned future for I/O failures.
 *
 * <h2>Lifecycle</h2>
 * {@link #builder()} configures a broker; {@code build()} returns it unstarted. {@link #start()}
 * recovers the store and returns once the broker serves requests; it is idempotent. {@link #close()}
 * ends consumers ({@link CloseReason#BROKER_STOPPED}), fails waiting pulls with
 * {@link ErrorCode#UNAVAILABLE}, flushes and closes the store; it is idempotent, and a closed broker
 * cannot be restarted. Operations before start or after close fail with {@link ErrorCode#UNAVAILABLE}.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe. Futures may complete on a store or broker thread; callbacks attached
 * to them must not block.
 *
 * <h2>Guarantees</h2>
 * A publish future completes once the message is durable in the store (and replicated, in a
 * cluster); so does an ack. Delivery is at-least-once for {@link AckMode#CLIENT} and at-most-once for
 * {@link AckMode#AUTO}; order is FIFO per partition except for redeliveries.
 */
public interface Broker extends AutoCloseable {

    static BrokerBuilder builder() {
        return new BrokerBuilder();
    }

    /** Recovers the store and starts serving; returns this broker. Idempotent. */
    Broker start();

    /** True once {@link #start()} has completed and until {@link #close()}. */
    boolean isRunning();

    /**
     * Creates a queue or topic owned by the caller, or confirms it exists with the same owner and options
     * ({@link Declared#created()} false). Another owner or other options: {@link ErrorCode#ALREADY_EXISTS}.
     * Names ending in {@code .dlq} are reserved: {@link ErrorCode#INVALID_NAME}.
     */
    Declared<DestinationInfo> declare(Identity caller, DestinationRef destination, DestinationOptions options);

    /** A snapshot of the destination; {@link ErrorCode#NOT_FOUND} if it does not exist. */
    DestinationInfo describe(DestinationRef destination);

    /**
     * Destinations of a type in name order, starting after {@code cursor} (the last name of the previous
     * page, or empty), at most {@code limit} (1..1000) items.
     */
    Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor);

    /**
     * Deletes a destination (owner or admin only, else {@link ErrorCode#FORBIDDEN}). Its consumers get
     * {@link CloseReason#DELETED} and waiting pulls fail with {@link ErrorCode#GONE}. With a transfer
     * policy, every message still pending for at least one subscription is republished once to the
     * target before the future completes.
     */
    CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy);

    /** Publishes one message; the future completes when it is durable. */
    CompletableFuture<PublishResult> publish(Identity caller, DestinationRef destination, OutgoingMessage message);

    /**
     * Publishes a batch, validated as a whole before anything is stored; the future completes when all
     * are durable, with one result per message in order.
     */
    CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                      List<OutgoingMessage> messages);

    /**
     * Creates a durable named subscription of a topic, or confirms it exists. It receives the messages
     * published from now on.
     */
    Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription, SubscriptionOptions options);

    /**
     * Deletes a subscription (its creator, the topic's owner or an admin); its pending messages are
     * released and its consumers get {@link CloseReason#UNSUBSCRIBED}.
     */
    void unsubscribe(Identity caller, SubscriptionRef subscription);

    /** Subscriptions of a topic in name order. */
    List<SubscriptionInfo> subscriptions(DestinationRef topic);

    /**
     * Pulls up to {@code max} messages. Completes as soon as at least one is available, or with an
     * empty list when the wait ends. Waiting pulls are served round-robin with push consumers.
     */
    CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription, ReceiveRequest request);

    /** Attaches a push consumer. */
    Consumer consume(Identity caller, SubscriptionRef subscription, ConsumerOptions options, DeliveryListener listener);

    /**
     * Acknowledges receipts. Unknown, stale or already used receipts are reported in
     * {@link AckResult#invalid()} and never applied. Completes once the acks are durable.
     */
    CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts);

    /** Negatively acknowledges receipts: requeue (a redelivery) or dead-letter now. */
    CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts, NackMode mode);

    /** Stops the broker; see the class documentation. */
    @Override
    void close();
}
