package io.mom.core.internal;

import io.mom.core.CloseReason;
import io.mom.core.Declared;
import io.mom.core.DeletePolicy;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Page;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.SubscriptionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Creation and deletion of destinations and subscriptions. Catalog changes are serialised by this
 * object's monitor and written durably before they are answered; message traffic never takes it.
 */
final class Catalog {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final CoreBroker broker;

    Catalog(CoreBroker broker) {
        this.broker = broker;
    }

    Declared<DestinationInfo> declare(Identity caller, DestinationRef ref, DestinationOptions options) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(ref, "destination");
        Objects.requireNonNull(options, "options");
        if (Names.isDeadLetter(ref.name())) {
            throw new MomException(ErrorCode.INVALID_NAME, "names ending in .dlq are reserved for dead-letter queues");
        }
        if (Names.isShard(ref.name())) {
            throw new MomException(ErrorCode.INVALID_NAME, ref.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " name must match [A-Za-z0-9._-]{1,120}");
        }
        return declareAs(caller.username(), ref, options);
    }

    /** Declares a partition shard (a cluster node hosting one partition of a partitioned destination). */
    Declared<DestinationInfo> declareShard(String owner, DestinationRef ref, DestinationOptions options) {
        if (!Names.isShard(ref.name()) || Names.isDeadLetter(ref.name())) {
            throw new MomException(ErrorCode.INVALID_NAME, ref.name() + " is not a shard name");
        }
        return declareAs(owner, ref, options);
    }

    private synchronized Declared<DestinationInfo> declareAs(String owner, DestinationRef ref,
                                                             DestinationOptions options) {
        Destination existing = broker.destinations.get(ref.name());
        if (existing != null) {
            DestinationRecord r = existing.record;
            if (existing.deleted || r.type() != ref.type() || !r.owner().equals(owner)
                    || !r.options().equals(options)) {
                throw new MomException(ErrorCode.ALREADY_EXISTS,
                        ref.name() + " already exists with another owner, type or options");
            }
            return new Declared<>(existing.info(), false);
        }
        DestinationRecord record = new DestinationRecord(ref.type(), ref.name(), owner, options,
                broker.clock.instant());
        Destination d = new Destination(broker, record);
        join(broker.store.write(List.of(new LogOp.PutDestination(record))));
        addRecovered(d);
        broker.events.destinationCreated(ref, owner);
        log.info("event=destination_created destination={} owner={}", ref, owner);
        return new Declared<>(d.info(), true);
    }

    /** Registers a destination (with the implicit subscription of a queue). */
    void addRecovered(Destination d) {
        prepare(d);
        register(d);
    }

    /** Gives a queue its implicit subscription. */
    static void prepare(Destination d) {
        if (d.record.type() == DestinationType.QUEUE) {
            SubscriptionRef ref = SubscriptionRef.queue(d.name());
            d.addSubscription(new Subscription(d, ref, d.record.owner(), SubscriptionOptions.DEFAULTS,
                    d.record.createdAt()));
        }
    }

    /** Makes a prepared destination visible to requests. */
    void register(Destination d) {
        broker.destinations.put(d.name(), d);
    }

    /** The dead-letter queue of a destination, created (owned by the source's owner) on first use. */
    Destination deadLetterQueueOf(Destination source) {
        String name = Names.deadLetterOf(source.name());
        Destination dlq = broker.destinations.get(name);
        if (dlq != null && !dlq.deleted && dlq.isType(DestinationType.QUEUE)) {
            return dlq;
        }
        declareAs(source.record.owner(), DestinationRef.queue(name), DestinationOptions.DEFAULTS);
        return broker.find(DestinationRef.queue(name));
    }

    Page<DestinationInfo> list(DestinationType type, String prefix, int limit, String cursor) {
        Objects.requireNonNull(type, "type");
        if (limit < 1 || limit > 1000) {
            throw MomException.invalid("limit must be between 1 and 1000");
        }
        String p = prefix == null ? "" : prefix;
        String after = cursor == null ? "" : cursor;
        List<Destination> matching = new ArrayList<>();
        for (Destination d : broker.destinations.values()) {
            if (d.isType(type) && !d.deleted && d.name().startsWith(p) && d.name().compareTo(after) > 0) {
                matching.add(d);
            }
        }
        matching.sort(Comparator.comparing(Destination::name));
        List<DestinationInfo> items = matching.stream().limit(limit).map(Destination::info).toList();
        Optional<String> next = matching.size() > limit
                ? Optional.of(items.get(items.size() - 1).ref().name()) : Optional.empty();
        return new Page<>(items, next);
    }

    CompletableFuture<Void> delete(Identity caller, DestinationRef ref, DeletePolicy policy) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(policy, "policy");
        Destination d = broker.find(ref);
        if (!caller.isAdmin() && !d.record.owner().equals(caller.username())) {
            throw MomException.forbidden("only the owner or an admin may delete " + ref);
        }
        Destination target = null;
        if (policy.transferTo().isPresent()) {
            DestinationRef to = policy.transferTo().get();
            if (to.name().equals(ref.name())) {
                throw MomException.invalid("to: cannot transfer messages to the destination being deleted");
            }
            target = broker.find(to);
        }
        List<Entry> pending;
        Effects fx = new Effects();
        d.lock.lock();
        try {
            d.checkLive();
            d.deleted = true;
            pending = pendingEntries(d);
            for (Subscription s : d.subscriptions().values()) {
                s.closeAll(CloseReason.DELETED, fx,
                        w -> CoreBroker.fail(w, ErrorCode.GONE, ref + " was deleted"));
            }
        } finally {
            d.lock.unlock();
        }
        fx.run(broker);
        CompletableFuture<?> moved = target == null || pending.isEmpty()
                ? CompletableFuture.completedFuture(null) : broker.publishDrafts(target, drafts(pending, broker));
        return CoreBroker.unavailableOnFailure(moved.thenCompose(v -> forget(d)).whenComplete((v, error) -> {
            if (error != null) {
                d.lock.lock();
                try {
                    d.deleted = false; // nothing was deleted: the destination keeps its messages
                } finally {
                    d.lock.unlock();
                }
            } else {
                broker.events.destinationDeleted(ref, caller.username());
                log.info("event=destination_deleted destination={} by={} transferred={}", ref, caller.username(),
                        policy.transferTo().isPresent() ? pending.size() : 0);
            }
        }));
    }

    private CompletableFuture<Void> forget(Destination d) {
        synchronized (this) {
            return broker.store.write(List.of(new LogOp.DeleteDestination(d.record.type(), d.name())))
                    .thenRun(() -> broker.destinations.remove(d.name(), d));
        }
    }

    private static List<Entry> pendingEntries(Destination d) {
        Set<Entry> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Entry> all = new ArrayList<>();
        for (Subscription s : d.subscriptions().values()) {
            for (Entry e : s.pendingEntries()) {
                if (!e.removed && seen.add(e)) {
                    all.add(e);
                }
            }
        }
        all.sort(Comparator.<Entry>comparingLong(e -> e.message.publishedAt().toEpochMilli())
                .thenComparingInt(e -> e.message.partition()).thenComparingLong(e -> e.message.sequence()));
        return all;
    }

    private static List<Draft> drafts(List<Entry> entries, CoreBroker broker) {
        return entries.stream().map(broker::loaded).map(m -> new Draft(Optional.empty(), Optional.of(m.id()),
                m.payload(), m.headers(), m.key(), m.sender(), Optional.of(m.publishedAt()), m.expiresAt())).toList();
    }

    synchronized Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef ref,
                                                      SubscriptionOptions options) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(options, "options");
        requireTopic(ref);
        Destination d = broker.find(ref.destination());
        CompletableFuture<Void> written;
        Subscription s;
        d.lock.lock();
        try {
            d.checkLive();
            Subscription existing = d.subscriptions().get(ref.subscription());
            if (existing != null) {
                if (!existing.options.equals(options)) {
                    throw new MomException(ErrorCode.ALREADY_EXISTS,
                            ref + " already exists with other options");
                }
                return new Declared<>(existing.info(), false);
            }
            SubscriptionRecord record = new SubscriptionRecord(d.name(), ref.subscription(), caller.username(),
                    options, broker.clock.instant());
            s = new Subscription(d, ref, caller.username(), options, record.createdAt());
            d.addSubscription(s);
            d.durable(new LogOp.PutSubscription(record));
            written = d.commit();
        } finally {
            d.lock.unlock();
        }
        join(written);
        broker.events.subscriptionCreated(ref, caller.username());
        log.info("event=subscription_created subscription={} owner={}", ref, caller.username());
        return new Declared<>(s.info(), true);
    }

    synchronized void unsubscribe(Identity caller, SubscriptionRef ref) {
        Objects.requireNonNull(caller, "caller");
        requireTopic(ref);
        Destination d = broker.find(ref.destination());
        Effects fx = new Effects();
        CompletableFuture<Void> written;
        d.lock.lock();
        try {
            d.checkLive();
            Subscription s = broker.subscriptionOf(d, ref);
            if (!caller.isAdmin() && !s.owner.equals(caller.username())
                    && !d.record.owner().equals(caller.username())) {
                throw MomException.forbidden("only the subscription's creator, the topic's owner or an admin may"
                        + " delete " + ref);
            }
            d.removeSubscription(s);
            s.closeAll(CloseReason.UNSUBSCRIBED, fx, w -> CoreBroker.fail(w, ErrorCode.GONE, ref + " was deleted"));
            for (Entry e : s.pendingEntries()) {
                d.done(e, s, true);
            }
            d.durable(new LogOp.DeleteSubscription(d.name(), ref.subscription()));
            written = d.commit();
        } finally {
            d.lock.unlock();
        }
        fx.run(broker);
        join(written);
        broker.events.subscriptionDeleted(ref, caller.username());
        log.info("event=subscription_deleted subscription={} by={}", ref, caller.username());
    }

    private static void requireTopic(SubscriptionRef ref) {
        Objects.requireNonNull(ref, "subscription");
        if (ref.destination().type() != DestinationType.TOPIC) {
            throw MomException.invalid("only topics have named subscriptions");
        }
    }

    private static void join(CompletableFuture<Void> written) {
        try {
            written.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MomException m) {
                throw m;
            }
            throw new MomException(ErrorCode.UNAVAILABLE, "storage unavailable", cause);
        }
    }
}
