package io.mom.server.cluster;

import io.mom.core.AckMode;
import io.mom.core.Delivery;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pull from a partitioned destination of a cluster: the answer comes from one partition at a time,
 * so its size and byte limits are those of a single receive.
 *
 * <ol>
 *   <li>The partitions are asked in turn, without waiting, starting one further each call (so every
 *       partition is served); the first that has messages answers.</li>
 *   <li>If none has any and the pull may wait, every partition gets a waiting pull in client-ack
 *       mode. The first to get messages answers (an auto-ack pull acks them before answering); the
 *       others are cancelled, and messages one of them took in the same instant are requeued.</li>
 * </ol>
 * A partition that is missing (a dead-letter queue not created yet) or unavailable (its leader is
 * failing over) is left out; only when every partition is, the pull fails. Thread-safe.
 */
final class SpreadReceive {
    private final LeaderRouter router;
    private final Map<String, AtomicInteger> nextStart = new ConcurrentHashMap<>();

    SpreadReceive(LeaderRouter router) {
        this.router = router;
    }

    CompletableFuture<List<Delivery>> receive(Identity caller, SubscriptionRef subscription, ReceiveRequest request,
                                              int partitions) {
        int start = Math.floorMod(nextStart.computeIfAbsent(subscription.toString(), k -> new AtomicInteger())
                .getAndIncrement(), partitions);
        Sweep sweep = new Sweep(caller, subscription, request, partitions);
        return sweep.ask(start, 0).thenCompose(found -> {
            if (!found.isEmpty() || request.waitTime().isZero() || sweep.reachable.isEmpty()) {
                return sweep.finish(found);
            }
            return new Wait(caller, subscription, request, sweep.reachable).start();
        });
    }

    /** Drops what this node keeps about a deleted destination. */
    void forget(String destination) {
        nextStart.keySet().removeIf(k -> k.endsWith(":" + destination) || k.contains(":" + destination + "/"));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The first, non-waiting round over the partitions. */
    private final class Sweep {
        private final Identity caller;
        private final SubscriptionRef subscription;
        private final ReceiveRequest request;
        private final int partitions;
        final List<Integer> reachable = new ArrayList<>();
        private MomException failure;

        Sweep(Identity caller, SubscriptionRef subscription, ReceiveRequest request, int partitions) {
            this.caller = caller;
            this.subscription = subscription;
            this.request = request;
            this.partitions = partitions;
        }

        CompletableFuture<List<Delivery>> ask(int start, int asked) {
            if (asked == partitions) {
                return CompletableFuture.completedFuture(List.of());
            }
            int p = (start + asked) % partitions;
            CompletableFuture<List<Delivery>> call;
            try {
                call = router.receive(caller, Shards.ref(subscription, p),
                        new ReceiveRequest(request.max(), Duration.ZERO, request.ackMode()));
            } catch (MomException e) {
                call = CompletableFuture.failedFuture(e);
            }
            return call.handle((got, error) -> {
                if (error == null) {
                    reachable.add(p);
                    return got.stream().map(d -> Shards.toClient(d, subscription, p)).toList();
                }
                Throwable cause = unwrap(error);
                MomException e = cause instanceof MomException ? (MomException) cause
                        : new MomException(ErrorCode.UNAVAILABLE, "partition " + p + " did not answer", cause);
                if (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                if (failure == null || failure.code() == ErrorCode.NOT_FOUND) {
                    failure = e;
                }
                return List.<Delivery>of();
            }).thenCompose(found -> found.isEmpty() ? ask(start, asked + 1) : CompletableFuture.completedFuture(found));
        }

        CompletableFuture<List<Delivery>> finish(List<Delivery> found) {
            if (found.isEmpty() && reachable.isEmpty() && failure != null) {
                return CompletableFuture.failedFuture(failure.code() == ErrorCode.NOT_FOUND
                        ? MomException.notFound(subscription.toString()) : failure);
            }
            return CompletableFuture.completedFuture(found);
        }
    }

    /** The waiting round: one cancellable client-ack pull per reachable partition; the first with messages wins. */
    private final class Wait {
        private final Identity caller;
        private final SubscriptionRef subscription;
        private final ReceiveRequest request;
        private final List<Integer> partitions;
        private final CompletableFuture<List<Delivery>> answer = new CompletableFuture<>();
        private final AtomicBoolean won = new AtomicBoolean();
        private final AtomicInteger pending;
        private final List<CompletableFuture<List<Delivery>>> pulls = new ArrayList<>();
        private volatile Throwable failure;

        Wait(Identity caller, SubscriptionRef subscription, ReceiveRequest request, List<Integer> partitions) {
            this.caller = caller;
            this.subscription = subscription;
            this.request = request;
            this.partitions = partitions;
            this.pending = new AtomicInteger(partitions.size());
        }

        CompletableFuture<List<Delivery>> start() {
            ReceiveRequest waiting = new ReceiveRequest(request.max(), request.waitTime(), AckMode.CLIENT);
            for (int p : partitions) {
                CompletableFuture<List<Delivery>> pull;
                try {
                    pull = router.receive(caller, Shards.ref(subscription, p), waiting);
                } catch (MomException e) {
                    pull = CompletableFuture.failedFuture(e);
                }
                synchronized (pulls) {
                    pulls.add(pull);
                }
                pull.whenComplete((got, error) -> done(p, got, error));
            }
            // The client went away (or the answer is no longer wanted): stop every pull.
            answer.whenComplete((r, e) -> {
                if (answer.isCancelled()) {
                    cancelAll();
                }
            });
            return answer;
        }

        private void done(int p, List<Delivery> got, Throwable error) {
            if (error == null && !got.isEmpty()) {
                if (won.compareAndSet(false, true)) {
                    cancelAll();
                    deliver(p, got);
                } else {
                    handBack(p, got);
                }
            } else if (error != null && !(unwrap(error) instanceof java.util.concurrent.CancellationException)) {
                failure = unwrap(error);
            }
            if (pending.decrementAndGet() == 0 && !won.get()) {
                Throwable f = failure;
                if (f != null && !(f instanceof MomException && ((MomException) f).code() == ErrorCode.NOT_FOUND)) {
                    answer.completeExceptionally(f);
                } else {
                    answer.complete(List.of());
                }
            }
        }

        private void cancelAll() {
            synchronized (pulls) {
                pulls.forEach(pull -> pull.cancel(false));
            }
        }

        private void deliver(int p, List<Delivery> got) {
            List<Delivery> shown = got.stream().map(d -> Shards.toClient(d, subscription, p)).toList();
            if (request.ackMode() == AckMode.CLIENT) {
                answer.complete(shown);
                return;
            }
            List<String> receipts = got.stream().flatMap(d -> d.receipt().stream()).toList();
            router.ack(caller, Shards.ref(subscription, p), receipts).whenComplete((acked, error) -> {
                if (error != null) {
                    answer.completeExceptionally(unwrap(error));
                } else {
                    answer.complete(shown.stream().map(d -> new Delivery(d.subscription(), d.message(),
                            d.deliveryCount(), java.util.Optional.empty())).toList());
                }
            });
        }

        /** Messages a losing pull took anyway go back to the partition at once. */
        private void handBack(int p, List<Delivery> got) {
            List<String> receipts = got.stream().flatMap(d -> d.receipt().stream()).toList();
            try {
                router.nack(caller, Shards.ref(subscription, p), receipts, NackMode.REQUEUE);
            } catch (MomException e) {
                // Their leases expire and they are redelivered; nothing is lost.
            }
        }
    }
}
