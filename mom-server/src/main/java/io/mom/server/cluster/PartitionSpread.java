package io.mom.server.cluster;

import io.mom.cluster.MetadataKind;
import io.mom.cluster.ZkCluster;
import io.mom.core.AckResult;
import io.mom.core.Declared;
import io.mom.core.DeletePolicy;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.Names;
import io.mom.core.OutgoingMessage;
import io.mom.core.PartialPublishException;
import io.mom.core.PublishResult;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.DestinationRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The calls on a partitioned destination of a cluster (FR-21): each of its partitions is a shard
 * with a placement of its own ({@link Shards}), so the controller spreads the partitions over the
 * nodes, and every call here fans out to the shards' leaders through the {@link LeaderRouter}.
 *
 * <ul>
 *   <li>A publish goes to one partition: by key, else by message id (so a retried id meets its
 *       dedup window), else round-robin. A batch is committed per partition; if one cannot commit,
 *       the call fails {@code UNAVAILABLE} naming the ids that were committed.</li>
 *   <li>Acks and nacks go to the partitions their receipts name.</li>
 *   <li>Counts are summed over the partitions (consumers: the largest count, as each consumer
 *       attaches to every partition).</li>
 *   <li>Receives and push consumers are in {@link SpreadReceive} and {@link SpreadConsumer}.</li>
 * </ul>
 * Thread-safe.
 */
final class PartitionSpread {
    private final LeaderRouter router;
    private final Clock clock;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    PartitionSpread(LeaderRouter router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    // ---- catalog ----

    /** Declares the destination's metadata, places its shards, and creates each on its leader. */
    Declared<DestinationInfo> declare(ZkCluster zk, Identity caller, DestinationRef destination,
                                      DestinationOptions options) {
        int partitions = options.partitions();
        DestinationRecord record = new DestinationRecord(destination.type(), destination.name(), caller.username(),
                options, clock.instant());
        boolean created = zk.metadata().putIfAbsent(MetadataKind.DESTINATION, destination.name(),
                MetadataCodec.destination(record));
        try {
            for (int p = 0; p < partitions; p++) {
                zk.placements().declare(Shards.ref(destination, p).name(), 1);
            }
            for (int p = 0; p < partitions; p++) {
                zk.placements().whenPlaced(Shards.ref(destination, p).name())
                        .get(LeaderRouter.PLACEMENT_WAIT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MomException(ErrorCode.UNAVAILABLE, "interrupted");
        } catch (Exception e) {
            if (created) {
                for (int p = 0; p < partitions; p++) {
                    zk.placements().remove(Shards.ref(destination, p).name());
                }
                zk.metadata().remove(MetadataKind.DESTINATION, destination.name());
            }
            throw new MomException(ErrorCode.UNAVAILABLE, "the partitions of " + destination.name()
                    + " could not all be given a node", e);
        }
        DestinationOptions shardOptions = Shards.options(options);
        for (int p = 0; p < partitions; p++) {
            router.declare(caller, Shards.ref(destination, p), shardOptions);
        }
        return new Declared<>(describe(destination, partitions), created);
    }

    DestinationInfo describe(DestinationRef destination, int partitions) {
        List<DestinationInfo> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            try {
                shards.add(router.describe(Shards.ref(destination, p)));
            } catch (MomException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (shards.isEmpty()) {
            throw MomException.notFound(destination.toString());
        }
        DestinationInfo first = shards.get(0);
        DestinationOptions options = recordOf(destination).map(DestinationRecord::options).orElse(first.options());
        long depth = 0;
        long inFlight = 0;
        int consumers = 0;
        int subscriptions = 0;
        for (DestinationInfo s : shards) {
            depth += s.depth();
            inFlight += s.inFlight();
            consumers = Math.max(consumers, s.consumers());
            subscriptions = Math.max(subscriptions, s.subscriptions());
        }
        return new DestinationInfo(destination, first.owner(), options, first.createdAt(), depth, inFlight,
                consumers, subscriptions);
    }

    private Optional<DestinationRecord> recordOf(DestinationRef destination) {
        if (Names.isDeadLetter(destination.name())) {
            return Optional.empty();
        }
        return router.cluster().metadata().get(MetadataKind.DESTINATION, destination.name())
                .map(MetadataCodec::destination);
    }

    /**
     * Deletes every shard (the first one checks the caller may, before anything changes), then the
     * catalog entry. Shards a previous, interrupted delete removed already are skipped.
     */
    CompletableFuture<Void> delete(Identity caller, DestinationRef destination, DeletePolicy policy, int partitions) {
        CompletableFuture<Void> chain = router.delete(caller, Shards.ref(destination, 0), policy);
        for (int p = 1; p < partitions; p++) {
            DestinationRef shard = Shards.ref(destination, p);
            chain = chain.thenCompose(v -> ignoreNotFound(() -> router.delete(caller, shard, policy)));
        }
        return chain;
    }

    /** Drops what this node keeps about a deleted destination. */
    void forget(String destination) {
        roundRobin.remove(destination);
    }

    private static CompletableFuture<Void> ignoreNotFound(java.util.function.Supplier<CompletableFuture<Void>> call) {
        CompletableFuture<Void> f;
        try {
            f = call.get();
        } catch (MomException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return cause instanceof MomException && ((MomException) cause).code() == ErrorCode.NOT_FOUND
                    ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
        });
    }

    Declared<SubscriptionInfo> subscribe(Identity caller, SubscriptionRef subscription, SubscriptionOptions options,
                                         int partitions) {
        boolean created = false;
        List<SubscriptionInfo> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Declared<SubscriptionInfo> d = router.subscribe(caller, Shards.ref(subscription, p), options);
            created |= d.created();
            shards.add(d.value());
        }
        return new Declared<>(merge(subscription, shards), created);
    }

    void unsubscribe(Identity caller, SubscriptionRef subscription, int partitions) {
        router.unsubscribe(caller, Shards.ref(subscription, 0));
        for (int p = 1; p < partitions; p++) {
            try {
                router.unsubscribe(caller, Shards.ref(subscription, p));
            } catch (MomException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }

    List<SubscriptionInfo> subscriptions(DestinationRef topic, int partitions) {
        Map<String, List<SubscriptionInfo>> byName = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            for (SubscriptionInfo s : router.subscriptions(Shards.ref(topic, p))) {
                byName.computeIfAbsent(s.ref().subscription(), k -> new ArrayList<>()).add(s);
            }
        }
        List<SubscriptionInfo> merged = new ArrayList<>();
        byName.forEach((name, shards) -> merged.add(merge(new SubscriptionRef(topic, name), shards)));
        return merged;
    }

    private static SubscriptionInfo merge(SubscriptionRef client, List<SubscriptionInfo> shards) {
        SubscriptionInfo first = shards.get(0);
        long pending = 0;
        long inFlight = 0;
        int consumers = 0;
        for (SubscriptionInfo s : shards) {
            pending += s.pending();
            inFlight += s.inFlight();
            consumers = Math.max(consumers, s.consumers());
        }
        return new SubscriptionInfo(client, first.owner(), first.options(), first.createdAt(), pending, inFlight,
                consumers);
    }

    // ---- messages ----

    CompletableFuture<List<PublishResult>> publishAll(Identity caller, DestinationRef destination,
                                                      List<OutgoingMessage> messages, int partitions) {
        AtomicInteger counter = roundRobin.computeIfAbsent(destination.name(), k -> new AtomicInteger());
        Map<Integer, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            int p = Shards.partitionOf(messages.get(i), partitions, counter.getAndIncrement());
            positions.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
        }
        Map<Integer, CompletableFuture<List<PublishResult>>> calls = new LinkedHashMap<>();
        positions.forEach((p, indexes) -> {
            List<OutgoingMessage> batch = indexes.stream().map(messages::get).toList();
            calls.put(p, call(() -> router.publishAll(caller, Shards.ref(destination, p), batch)));
        });
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).handle((v, error) -> {
            PublishResult[] results = new PublishResult[messages.size()];
            List<String> committed = new ArrayList<>();
            MomException failure = null;
            for (var e : calls.entrySet()) {
                CompletableFuture<List<PublishResult>> f = e.getValue();
                if (f.isCompletedExceptionally()) {
                    failure = failure != null ? failure : cause(f);
                    continue;
                }
                List<Integer> indexes = positions.get(e.getKey());
                List<PublishResult> shardResults = f.join();
                for (int i = 0; i < indexes.size(); i++) {
                    results[indexes.get(i)] = shardResults.get(i);
                }
            }
            if (failure == null) {
                return List.of(results);
            }
            for (PublishResult r : results) {
                if (r != null) {
                    committed.add(r.id());
                }
            }
            if (committed.isEmpty()) {
                throw failure;
            }
            throw new PartialPublishException("a partition could not commit: " + failure.getMessage()
                    + "; retry the batch with the same ids", committed, failure);
        });
    }

    private static MomException cause(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            return c instanceof MomException ? (MomException) c : new MomException(ErrorCode.UNAVAILABLE,
                    "a partition could not commit", c);
        } catch (java.util.concurrent.CancellationException e) {
            return new MomException(ErrorCode.UNAVAILABLE, "cancelled");
        }
    }

    private static <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (MomException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletableFuture<AckResult> ack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                     int partitions) {
        return settle(subscription, receipts, partitions, (shard, inner) -> router.ack(caller, shard, inner));
    }

    CompletableFuture<AckResult> nack(Identity caller, SubscriptionRef subscription, List<String> receipts,
                                      NackMode mode, int partitions) {
        return settle(subscription, receipts, partitions, (shard, inner) -> router.nack(caller, shard, inner, mode));
    }

    /** Sends each receipt to its partition; receipts naming none are reported invalid, as the core would. */
    private CompletableFuture<AckResult> settle(SubscriptionRef subscription, List<String> receipts, int partitions,
                                                BiFunction<SubscriptionRef, List<String>, CompletableFuture<AckResult>> op) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        List<String> invalid = new ArrayList<>();
        for (String r : receipts) {
            Optional<Shards.Receipt> parsed = Shards.receipt(r, partitions);
            if (parsed.isEmpty()) {
                invalid.add(r);
            } else {
                byPartition.computeIfAbsent(parsed.get().partition(), k -> new ArrayList<>())
                        .add(parsed.get().shardReceipt());
            }
        }
        List<CompletableFuture<AckResult>> calls = new ArrayList<>();
        List<Integer> order = new ArrayList<>(byPartition.keySet());
        for (int p : order) {
            calls.add(call(() -> op.apply(Shards.ref(subscription, p), byPartition.get(p))));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> {
            int applied = 0;
            for (int i = 0; i < calls.size(); i++) {
                AckResult r = calls.get(i).join();
                applied += r.applied();
                int p = order.get(i);
                r.invalid().forEach(inner -> invalid.add(p + "~" + inner));
            }
            return new AckResult(applied, invalid);
        });
    }
}
