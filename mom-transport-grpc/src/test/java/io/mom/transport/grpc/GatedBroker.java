package io.mom.transport.grpc;

import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Declared;
import io.mom.core.DeletePolicy;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.Identity;
import io.mom.core.NackMode;
import io.mom.core.OutgoingMessage;
import io.mom.core.Page;
import io.mom.core.PublishResult;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real broker whose publish answers are held until the test releases them, so a test can see how
 * many publishes a transport starts before any completes.
 */
final class GatedBroker implements Broker {
    private final Broker delegate;
    private final AtomicInteger publishCalls = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private volatile boolean open;

    GatedBroker(Broker delegate) {
        this.delegate = delegate;
    }

    int publishCalls() {
        return publishCalls.get();
    }

    /** Releases every held answer and lets later ones through. */
    void openGate() {
        open = true;
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    /** Releases the oldest held answer. */
    void releaseOne() {
        Runnable r = held.poll();
        if (r != null) {
            r.run();
        }
    }

    @Override
    public CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                             List<OutgoingMessage> messages) {
        publishCalls.incrementAndGet();
        CompletableFuture<List<PublishResult>> stored = delegate.publishAll(caller, destination, messages);
        if (open) {
            return stored;
        }
        CompletableFuture<List<PublishResult>> answer = new CompletableFuture<>();
        held.add(() -> stored.whenComplete((r, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(r);
            }
        }));
        if (open) {
            openGate();
        }
        return answer;
    }

    @Override
    public CompletableFuture<PublishResult> publish(Identity caller, DestinationRef destination, OutgoingMessage message) {
        return publishAll(caller, destination, List.of(message)).thenApply(r -> r.get(0));
    }

    @Override
    public Broker start() {
        delegate.start();
        return this;
    }

    @Override
    public boolean isRunning() {
        return delegate.isRunning();
    }

    @Override
    public Declared<DestinationInfo> declare(Identity caller, DestinationRef destination, DestinationOptions options) {
        return delegate.declare(caller, destination, options);
    }

    @Override
    public DestinationInfo describe(DestinationRef destination) {
        return delegate.describe(destination);
    }

    @Override
    public Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor) {
        return delegate.list(type, prefix, limit, cursor);
    }

    @Override
    public CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy) {
        return delegate.delete(caller, destination, policy);
    }

    @Override
    public Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription,
                                                SubscriptionOptions options) {
        return delegate.subscribe(caller, subscription, options);
    }

    @Override
    public void unsubscribe(Identity caller, SubscriptionRef subscription) {
        delegate.unsubscribe(caller, subscription);
    }

    @Override
    public List<SubscriptionInfo> subscriptions(DestinationRef topic) {
        return delegate.subscriptions(topic);
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription,
                                                     ReceiveRequest request) {
        return delegate.receive(caller, subscription, request);
    }

    @Override
    public Consumer consume(Identity caller, SubscriptionRef subscription, ConsumerOptions options,
                            DeliveryListener listener) {
        return delegate.consume(caller, subscription, options, listener);
    }

    @Override
    public CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts) {
        return delegate.ack(caller, subscription, receipts);
    }

    @Override
    public CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                             NackMode mode) {
        return delegate.nack(caller, subscription, receipts, mode);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
