package io.mom.core.internal;

import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.CloseReason;
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
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.Limits;
import io.mom.core.Message;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.Names;
import io.mom.core.OutgoingMessage;
import io.mom.core.Page;
import io.mom.core.PublishResult;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.ClusterView;
import io.mom.core.spi.IdGenerator;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.Replicator;
import io.mom.core.spi.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker engine behind {@link Broker}. Destinations live in a concurrent map; each destination
 * serialises its own work under its lock (see {@link Destination}); catalog changes (declare, delete,
 * subscribe) are serialised by {@link Catalog}. Lifecycle is an enum changed by compare-and-set.
 */
public final class CoreBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(CoreBroker.class);

    /** Everything the builder hands over. */
    public record Config(MessageStore store, Replicator replicator, ClusterView clusterView, BrokerEvents events,
                         Clock clock, Scheduler scheduler, IdGenerator ids, Limits limits, Duration dedupWindow,
                         Duration sweepInterval, long memoryBudget) {
    }

    private enum State { NEW, STARTING, RUNNING, STOPPED }

    final MessageStore store;
    final Replicator replicator;
    final ClusterView clusterView;
    final BrokerEvents events;
    final Clock clock;
    final Scheduler scheduler;
    final IdGenerator ids;
    final Limits limits;
    final long dedupWindowMs;
    final Receipts receipts;
    private final MemoryBudget memory;
    final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();
    private final Duration sweepInterval;
    private final MessageValidator validator;
    private final Catalog catalog;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicLong consumerIds = new AtomicLong();
    private Scheduler.Cancellable sweeper;

    public CoreBroker(Config config) {
        this.store = config.store();
        this.replicator = config.replicator();
        this.clusterView = config.clusterView();
        this.events = config.events();
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.ids = config.ids();
        this.limits = config.limits();
        this.dedupWindowMs = config.dedupWindow().toMillis();
        this.sweepInterval = config.sweepInterval();
        this.memory = new MemoryBudget(config.memoryBudget(), config.store());
        this.receipts = new Receipts(config.clock().millis());
        this.validator = new MessageValidator(limits);
        this.catalog = new Catalog(this);
    }

    // ---- lifecycle ----

    @Override
    public Broker start() {
        if (!state.compareAndSet(State.NEW, State.STARTING)) {
            if (state.get() == State.STOPPED) {
                throw new MomException(ErrorCode.UNAVAILABLE, "broker is closed");
            }
            return this;
        }
        try {
            long began = System.nanoTime();
            RecoveryLoader loader = new RecoveryLoader(this);
            store.recover(loader);
            loader.register();
            log.info("event=broker_recovered destinations={} messages={} millis={}", destinations.size(),
                    loader.messages(), (System.nanoTime() - began) / 1_000_000);
            sweeper = scheduler.scheduleAtFixedRate(this::sweep, sweepInterval);
            state.set(State.RUNNING);
            return this;
        } catch (RuntimeException e) {
            state.set(State.STOPPED);
            closeQuietly();
            throw e;
        }
    }

    @Override
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    @Override
    public void close() {
        State previous = state.getAndSet(State.STOPPED);
        if (previous == State.STOPPED) {
            return;
        }
        if (sweeper != null) {
            sweeper.cancel();
        }
        for (Destination d : destinations.values()) {
            Effects fx = new Effects();
            d.lock.lock();
            try {
                for (Subscription s : d.subscriptions().values()) {
                    s.closeAll(CloseReason.BROKER_STOPPED, fx, w -> fail(w, ErrorCode.UNAVAILABLE, "broker stopped"));
                }
                d.commit();
            } finally {
                d.lock.unlock();
            }
            fx.run(this);
        }
        closeQuietly();
    }

    // ---- cluster hand-over ----

    /**
     * Starts serving one destination from what the store holds (a cluster node that became its
     * leader): its catalog entry, subscriptions and every message still pending, unacked deliveries
     * included (they are redelivered). A no-op if the destination is already served. Reads the
     * whole store once, so it costs like a start-up recovery.
     *
     * @return true when the destination is served after the call
     */
    public boolean adopt(String name) {
        requireRunning();
        Objects.requireNonNull(name, "name");
        synchronized (catalog) {
            if (destinations.containsKey(name)) {
                return true;
            }
            RecoveryLoader loader = new RecoveryLoader(this, name::equals);
            store.recover(loader);
            boolean found = loader.register() > 0;
            log.info("event=destination_adopted destination={} found={} messages={}", name, found, loader.messages());
            return found;
        }
    }

    /**
     * Stops serving one destination without touching the store (a cluster node that is no longer its
     * leader): its consumers get {@link CloseReason#BROKER_STOPPED}, waiting pulls fail with
     * {@link ErrorCode#UNAVAILABLE}, and later requests get {@link ErrorCode#NOT_FOUND}.
     *
     * @return false when it was not served
     */
    public boolean release(String name) {
        Objects.requireNonNull(name, "name");
        Destination d;
        synchronized (catalog) {
            d = destinations.remove(name);
        }
        if (d == null) {
            return false;
        }
        Effects fx = new Effects();
        d.lock.lock();
        try {
            for (Subscription s : d.subscriptions().values()) {
                s.closeAll(CloseReason.BROKER_STOPPED, fx,
                        w -> fail(w, ErrorCode.UNAVAILABLE, "the destination moved to another node"));
            }
        } finally {
            d.lock.unlock();
        }
        fx.run(this);
        log.info("event=destination_released destination={}", name);
        return true;
    }

    private void closeQuietly() {
        try {
            scheduler.close();
        } finally {
            store.close();
        }
    }

    void requireRunning() {
        if (state.get() != State.RUNNING) {
            throw new MomException(ErrorCode.UNAVAILABLE, "broker is not running");
        }
    }

    // ---- catalog ----

    @Override
    public Declared<DestinationInfo> declare(Identity caller, DestinationRef destination, DestinationOptions options) {
        requireRunning();
        return catalog.declare(caller, destination, options);
    }

    /**
     * Declares a partition shard ({@link Names#shard}) owned by {@code owner}: what a cluster node does
     * when it comes to host one partition of a partitioned destination. Clients cannot declare shards.
     */
    public Declared<DestinationInfo> declareShard(String owner, DestinationRef shard, DestinationOptions options) {
        requireRunning();
        return catalog.declareShard(owner, shard, options);
    }

    @Override
    public DestinationInfo describe(DestinationRef destination) {
        requireRunning();
        return find(destination).info();
    }

    @Override
    public Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor) {
        requireRunning();
        return catalog.list(type, prefix, limit, cursor);
    }

    @Override
    public CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy) {
        requireRunning();
        return catalog.delete(caller, destination, policy);
    }

    @Override
    public Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription,
                                                SubscriptionOptions options) {
        requireRunning();
        return catalog.subscribe(caller, subscription, options);
    }

    @Override
    public void unsubscribe(Identity caller, SubscriptionRef subscription) {
        requireRunning();
        catalog.unsubscribe(caller, subscription);
    }

    @Override
    public List<SubscriptionInfo> subscriptions(DestinationRef topic) {
        requireRunning();
        Destination d = find(topic);
        d.lock.lock();
        try {
            return d.subscriptions().values().stream().map(Subscription::info).toList();
        } finally {
            d.lock.unlock();
        }
    }

    /** The live destination of that type and name, or {@link ErrorCode#NOT_FOUND}. */
    Destination find(DestinationRef ref) {
        Objects.requireNonNull(ref, "destination");
        Destination d = destinations.get(ref.name());
        if (d == null || !d.isType(ref.type())) {
            throw MomException.notFound(ref.toString());
        }
        return d;
    }

    // ---- messages ----

    @Override
    public CompletableFuture<PublishResult> publish(Identity caller, DestinationRef destination,
                                                    OutgoingMessage message) {
        requireRunning();
        Objects.requireNonNull(caller, "caller");
        validator.check(message, "");
        return publishDrafts(find(destination), List.of(draft(caller, message))).thenApply(r -> r.get(0));
    }

    @Override
    public CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                             List<OutgoingMessage> messages) {
        requireRunning();
        Objects.requireNonNull(caller, "caller");
        validator.checkBatch(messages);
        Destination d = find(destination);
        List<Draft> drafts = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            drafts.add(draft(caller, m));
        }
        return publishDrafts(d, drafts);
    }

    private Draft draft(Identity caller, OutgoingMessage m) {
        return new Draft(m.id(), Optional.empty(), m.payload(), m.headers(), m.key(), caller.username(),
                Optional.empty(), m.ttl().map(ttl -> clock.instant().plus(ttl)));
    }

    CompletableFuture<List<PublishResult>> publishDrafts(Destination d, List<Draft> drafts) {
        Effects fx = new Effects();
        CompletableFuture<List<PublishResult>> result;
        d.lock.lock();
        try {
            result = d.publish(drafts, fx);
            d.commit();
        } finally {
            d.lock.unlock();
        }
        fx.run(this);
        return unavailableOnFailure(result);
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription,
                                                     ReceiveRequest request) {
        requireRunning();
        Objects.requireNonNull(request, "request");
        Destination d = find(subscription.destination());
        PullWaiter waiter = new PullWaiter(request.max(), limits.maxReceiveBytes(), request.ackMode());
        Effects fx = new Effects();
        d.lock.lock();
        try {
            d.checkLive();
            Subscription s = subscriptionOf(d, subscription);
            long nowMs = clock.millis();
            s.serveNow(waiter, fx, nowMs);
            if (waiter.hasDeliveries() || request.waitTime().isZero()) {
                fx.complete(waiter);
            } else {
                s.attach(waiter);
                waiter.await(this, d, s, request.waitTime(), caller, subscription);
            }
            d.commit();
        } finally {
            d.lock.unlock();
        }
        fx.run(this);
        return waiter.future;
    }

    @Override
    public Consumer consume(Identity caller, SubscriptionRef subscription, ConsumerOptions options,
                            DeliveryListener listener) {
        requireRunning();
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        Destination d = find(subscription.destination());
        Effects fx = new Effects();
        PushConsumer consumer;
        d.lock.lock();
        try {
            d.checkLive();
            Subscription s = subscriptionOf(d, subscription);
            consumer = new PushConsumer(consumerIds.incrementAndGet(), this, caller, s, options, listener);
            s.attach(consumer);
            s.dispatch(fx, clock.millis());
            d.commit();
        } finally {
            d.lock.unlock();
        }
        events.consumerAttached(subscription, consumer.id());
        fx.run(this);
        return consumer;
    }

    void grant(PushConsumer consumer, int credits) {
        Destination d = consumer.subscription.destination;
        Effects fx = new Effects();
        d.lock.lock();
        try {
            if (!consumer.open) {
                return;
            }
            consumer.credit = (int) Math.min(Integer.MAX_VALUE, (long) consumer.credit + credits);
            consumer.subscription.dispatch(fx, clock.millis());
            d.commit();
        } finally {
            d.lock.unlock();
            fx.run(this);
        }
    }

    void closeConsumer(PushConsumer consumer, CloseReason reason) {
        Destination d = consumer.subscription.destination;
        Effects fx = new Effects();
        boolean wasOpen;
        d.lock.lock();
        try {
            wasOpen = consumer.open;
            consumer.subscription.detach(consumer, reason, fx);
            consumer.subscription.dispatch(fx, clock.millis());
            d.commit();
        } finally {
            d.lock.unlock();
        }
        fx.run(this);
        if (wasOpen) {
            events.consumerDetached(consumer.subscription.ref, consumer.id(), reason);
        }
    }

    @Override
    public CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts) {
        requireRunning();
        MessageValidator.checkReceipts(receipts, ReceiveRequest.MAX_MESSAGES * 10);
        return settle(subscription, (s, fx) -> s.ack(receipts), receipts.size());
    }

    @Override
    public CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                             NackMode mode) {
        requireRunning();
        Objects.requireNonNull(mode, "mode");
        MessageValidator.checkReceipts(receipts, ReceiveRequest.MAX_MESSAGES * 10);
        return settle(subscription, (s, fx) -> s.nack(receipts, mode, fx), receipts.size());
    }

    private interface Settlement {
        List<String> apply(Subscription s, Effects fx);
    }

    private CompletableFuture<AckResult> settle(SubscriptionRef subscription, Settlement settlement, int count) {
        Destination d = find(subscription.destination());
        Effects fx = new Effects();
        List<String> invalid;
        CompletableFuture<Void> written;
        d.lock.lock();
        try {
            d.checkLive();
            Subscription s = subscriptionOf(d, subscription);
            invalid = settlement.apply(s, fx);
            s.dispatch(fx, clock.millis());
            written = d.commit();
        } finally {
            d.lock.unlock();
        }
        fx.run(this);
        AckResult result = new AckResult(count - invalid.size(), invalid);
        return unavailableOnFailure(written.thenApply(v -> result));
    }

    Subscription subscriptionOf(Destination d, SubscriptionRef ref) {
        Subscription s = d.subscriptions().get(ref.subscription());
        if (s == null) {
            throw MomException.notFound(ref.toString());
        }
        return s;
    }

    // ---- dead letters ----

    void moveToDeadLetters(List<Effects.DeadLetter> moves) {
        for (Effects.DeadLetter move : moves) {
            Subscription from = move.from();
            Destination source = from.destination;
            CompletableFuture<?> moved;
            try {
                Destination dlq = catalog.deadLetterQueueOf(source);
                var m = loaded(move.entry());
                var headers = new java.util.HashMap<>(m.headers());
                if (source.isType(DestinationType.TOPIC)) {
                    headers.put("x-mom-subscription", from.name());
                }
                Draft draft = new Draft(Optional.empty(), Optional.of(m.id()), m.payload(), headers, m.key(),
                        m.sender(), Optional.of(m.publishedAt()), m.expiresAt());
                moved = publishDrafts(dlq, List.of(draft));
                events.deadLettered(from.ref, dlq.name(), 1);
            } catch (RuntimeException e) {
                moved = CompletableFuture.failedFuture(e);
            }
            moved.whenComplete((v, error) -> {
                if (error != null) {
                    log.warn("event=dead_letter_failed subscription={} error={}", from.ref, error.toString());
                }
                Effects fx = new Effects();
                source.lock.lock();
                try {
                    from.deadLetterDone(move.entry(), move.deliveries(), error == null);
                    from.dispatch(fx, clock.millis());
                    source.commit();
                } finally {
                    source.lock.unlock();
                }
                fx.run(this);
            });
        }
    }

    // ---- store access ----

    CompletableFuture<Void> write(Destination d, List<LogOp> ops) {
        CompletableFuture<Void> written = store.write(ops);
        if (replicator == Replicator.NONE) {
            return written;
        }
        return written.thenCompose(v -> replicator.replicate(d.name(), ops));
    }

    void writeLazily(List<LogOp> ops) {
        store.writeLazily(ops);
    }

    void admit(Entry e) {
        memory.admit(e);
    }

    void release(Entry e) {
        memory.release(e);
    }

    Message loaded(Entry e) {
        return memory.loaded(e);
    }

    /** Payload bytes currently held in memory. */
    public long residentBytes() {
        return memory.residentBytes();
    }

    private void sweep() {
        try {
            long nowMs = clock.millis();
            for (Destination d : destinations.values()) {
                Effects fx = new Effects();
                d.lock.lock();
                try {
                    d.sweep(nowMs, fx);
                    d.commit();
                } finally {
                    d.lock.unlock();
                }
                fx.run(this);
            }
        } catch (Throwable t) {
            log.error("event=sweep_failed error={}", t.toString(), t);
        }
    }

    static void fail(PullWaiter waiter, ErrorCode code, String message) {
        if (waiter.timer != null) {
            waiter.timer.cancel();
        }
        waiter.future.completeExceptionally(new MomException(code, message));
    }

    /** Store and replication failures reach clients as {@link ErrorCode#UNAVAILABLE}, never as raw exceptions. */
    static <T> CompletableFuture<T> unavailableOnFailure(CompletableFuture<T> future) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return future;
        }
        return future.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof MomException) {
                return CompletableFuture.failedFuture(cause);
            }
            return CompletableFuture.failedFuture(
                    new MomException(ErrorCode.UNAVAILABLE, "storage unavailable", cause));
        });
    }
}
