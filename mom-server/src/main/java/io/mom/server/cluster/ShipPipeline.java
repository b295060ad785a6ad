package io.mom.server.cluster;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.mom.cluster.Member;
import io.mom.cluster.PartitionId;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.spi.LogOp;
import io.mom.grpc.internal.v1.ReplicateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replication pipeline of one destination on its leader (see {@link LogShipper}).
 *
 * <p>Either up to {@link #MAX_IN_FLIGHT} batches are in flight, or one catch-up runs. Writes made
 * while the flight is full queue up and leave together in the next batch. Batches travel to each
 * follower on one ordered stream ({@link ReplicaLink}), so a follower applies them in sequence order;
 * batches are settled (their writes completed or failed) in sequence order too, on the shipper's
 * completion pool, so the next batch does not wait for that work. Each batch goes to the placement's
 * in-sync followers and to the followers that finished a catch-up and wait for the controller to
 * put them in sync ({@code joining}). A live in-sync follower that fails a batch is reported out of
 * sync; the batch completes once the leader's cache shows it out of the set (so it can no longer be
 * promoted) and at least {@code minInSync} copies took the batch, else fails with
 * {@code UNAVAILABLE}. A joining follower that fails simply leaves {@code joining}.
 *
 * <p>A catch-up runs between batches (none is sent while one is queued, and it starts once the
 * batches in flight are settled): it waits until every shipped batch is in the leader's own
 * store, copies the destination's full state ({@link DestinationSnapshot}) to the follower, then
 * adds the follower to {@code joining} and reports it caught up. Writes queued during the copy
 * (which the copy may or may not include) are then shipped to it too: every log operation sets the
 * state of the keys it names, so applying them again after the copy converges on the leader's state.
 * When this node starts a new term (a failover made it the leader at epoch &gt; 1), every other in-sync
 * follower first gets such a copy, before the term's first batch: it may hold writes of the previous
 * leader's last batch that never reached this node, and the copy truncates them (DESIGN.md §5). A
 * follower whose term copy fails is reported out of sync.
 * Thread-safe: state is guarded by the pipeline's monitor; one thread at a time takes batches and
 * hands them to the links, so batches reach each stream in sequence order.
 */
final class ShipPipeline {
    private static final Logger log = LoggerFactory.getLogger(ShipPipeline.class);

    /** Batches that may be in flight to the followers at once. */
    static final int MAX_IN_FLIGHT = 2;

    /** A write waiting to be shipped, with the future of its write to the leader's own store. */
    record Pending(List<LogOp> ops, CompletableFuture<Void> local, CompletableFuture<Void> done) {
    }

    /** A shipped batch; decided once its outcome is known. Guarded by the pipeline's monitor. */
    private static final class Shipment {
        final List<Pending> batch;
        boolean decided;
        MomException error;

        Shipment(List<Pending> batch) {
            this.batch = batch;
        }
    }

    private final LogShipper owner;
    /** Completes batches' writes in batch order, off the thread that sends the next batch. */
    private final Executor completions;
    private final ZkCluster cluster;
    private final String destination;
    private final PartitionId id;
    private List<Pending> queued = new ArrayList<>();
    private final Deque<String> catchUps = new ArrayDeque<>();
    private final Set<String> joining = new LinkedHashSet<>();
    /**
     * In-sync followers that get a full copy before this leader's term ships anything: one may hold
     * writes of the previous leader's last batch that this node never got.
     */
    private final Set<String> termCopies = new LinkedHashSet<>();
    /** Shipped batches not settled yet, oldest first; they are settled in this order. */
    private final Deque<Shipment> inFlight = new ArrayDeque<>();
    private final Map<String, ReplicaLink> links = new ConcurrentHashMap<>();
    /** Calls of {@link #sendNext} not yet served by the thread sending batches; 0 when none sends. */
    private final AtomicInteger sendRequests = new AtomicInteger();
    private boolean catchingUp;
    /** Operations enqueued and not yet acknowledged by the followers: the replication lag. */
    private long unshipped;
    private long epoch;
    private long sequence;
    /** Completes when the leader's own store has every shipped batch. */
    private CompletableFuture<Void> shippedLocally = CompletableFuture.completedFuture(null);

    ShipPipeline(LogShipper owner, String destination) {
        this.owner = owner;
        this.completions = MoreExecutors.newSequentialExecutor(owner.completions());
        this.cluster = owner.cluster();
        this.destination = destination;
        this.id = new PartitionId(destination, 0);
    }

    CompletableFuture<Void> enqueue(List<LogOp> ops, CompletableFuture<Void> local) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long lag;
        synchronized (this) {
            queued.add(new Pending(ops, local, done));
            lag = unshipped += ops.size();
        }
        owner.reportLag(destination, lag);
        sendNext();
        return done;
    }

    /** Schedules a catch-up of {@code follower} unless one is queued or it already receives batches. */
    void requestCatchUp(String follower) {
        synchronized (this) {
            if (joining.contains(follower) || catchUps.contains(follower)) {
                return;
            }
            catchUps.add(follower);
        }
        sendNext();
    }

    /** Followers that got a full copy and receive batches but are not in the in-sync set yet. */
    synchronized Set<String> joining() {
        return Set.copyOf(joining);
    }

    /** Forgets joining followers that are in sync now or no longer assigned. */
    synchronized void prune(Placement placement) {
        joining.removeIf(n -> placement.inSync().contains(n) || !placement.replicas().contains(n));
    }

    /**
     * Ships the queued writes as the next batch when fewer than {@link #MAX_IN_FLIGHT} are in flight,
     * or starts a queued catch-up once no batch is in flight; does nothing during a catch-up.
     */
    private void sendNext() {
        // One thread at a time takes and sends batches, so they reach the links in sequence order; a
        // caller that finds it busy leaves the work to it (it runs one more round per request).
        if (sendRequests.getAndIncrement() != 0) {
            return;
        }
        int seen = 1;
        do {
            sendNextInOrder();
            seen = sendRequests.addAndGet(-seen);
        } while (seen != 0);
    }

    private void sendNextInOrder() {
        List<Pending> batch;
        Placement placement;
        long seq;
        Shipment shipment;
        synchronized (this) {
            if (catchingUp) {
                return;
            }
            placement = cluster.placements().placement(destination, 0).orElse(null);
            if (placement != null && placement.epoch() != epoch) {
                epoch = placement.epoch();
                sequence = 0;
                joining.clear();
                termCopies.clear();
                String me = cluster.settings().nodeId();
                if (epoch > 1 && placement.leader().equals(me)) {
                    for (String follower : placement.inSync()) {
                        if (!follower.equals(me)) {
                            termCopies.add(follower);
                            if (!catchUps.contains(follower)) {
                                catchUps.addFirst(follower);
                            }
                        }
                    }
                }
            }
            if (!catchUps.isEmpty()) {
                if (!inFlight.isEmpty()) {
                    return; // the catch-up starts when the batches in flight are settled
                }
                catchingUp = true;
                String follower = catchUps.poll();
                owner.executor().execute(() -> catchUp(follower));
                return;
            }
            if (queued.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT) {
                return;
            }
            batch = queued;
            queued = new ArrayList<>();
            seq = placement == null ? 0 : ++sequence;
            CompletableFuture<?>[] locals = batch.stream().map(Pending::local).toArray(CompletableFuture[]::new);
            CompletableFuture<Void> batchLocal = CompletableFuture.allOf(locals);
            shippedLocally = shippedLocally.isDone() ? batchLocal : CompletableFuture.allOf(shippedLocally, batchLocal);
            shipment = new Shipment(batch);
            inFlight.add(shipment);
        }
        if (placement == null) {
            finish(shipment, null);
            return;
        }
        send(placement, seq, shipment);
    }

    private void send(Placement placement, long seq, Shipment batch) {
        try {
            sendNow(placement, seq, batch);
        } catch (RuntimeException e) {
            finish(batch, new MomException(ErrorCode.UNAVAILABLE, "replication of " + destination + " failed", e));
        }
    }

    private void sendNow(Placement placement, long seq, Shipment batch) {
        String me = cluster.settings().nodeId();
        List<LogOp> ops = new ArrayList<>();
        batch.batch.forEach(p -> ops.addAll(p.ops()));
        ReplicateRequest request = ReplicateRequest.newBuilder().setDestination(destination)
                .setEpoch(placement.epoch()).setSequence(seq).setLeader(me)
                .setOps(LogOpCodec.encodeToByteString(ops)).build();
        Set<String> targets = new LinkedHashSet<>();
        placement.inSync().stream().filter(n -> !n.equals(me)).sorted().forEach(targets::add);
        targets.addAll(joining());
        if (targets.isEmpty()) {
            complete(placement, batch, 1, List.of());
            return;
        }
        AtomicInteger remaining = new AtomicInteger(targets.size());
        AtomicInteger copies = new AtomicInteger(1);
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        for (String follower : targets) {
            boolean inSync = placement.inSync().contains(follower);
            Member member = cluster.membership().member(follower).orElse(null);
            if (member == null) {
                // Gone: the controller drops it from the in-sync set; it cannot be promoted meanwhile.
                dropJoining(follower);
                ReplicaLink gone = links.remove(follower);
                if (gone != null) {
                    gone.close();
                }
                if (remaining.decrementAndGet() == 0) {
                    complete(placement, batch, copies.get(), failed);
                }
                continue;
            }
            link(member).send(request).whenComplete((ok, error) -> {
                if (error == null) {
                    if (inSync) {
                        copies.incrementAndGet();
                    }
                } else {
                    log.warn("event=replication_failed destination={} follower={} in_sync={} sequence={} error={}",
                            destination, follower, inSync, seq, error.getMessage());
                    if (inSync) {
                        failed.add(follower);
                    } else {
                        dropJoining(follower);
                    }
                }
                if (remaining.decrementAndGet() == 0) {
                    complete(placement, batch, copies.get(), failed);
                }
            });
        }
    }

    /** The replication stream to {@code member}, opened on first use and again when its address changed. */
    private ReplicaLink link(Member member) {
        ManagedChannel channel = owner.peers().channel(member.nodeId(), member.grpcAddress());
        ReplicaLink link = links.get(member.nodeId());
        if (link != null && link.channel() == channel) {
            return link;
        }
        ReplicaLink fresh = new ReplicaLink(channel, owner.credentials(), owner.timer(), LogShipper.DEADLINE);
        ReplicaLink old = links.put(member.nodeId(), fresh);
        if (old != null) {
            old.close();
        }
        return fresh;
    }

    private synchronized void dropJoining(String follower) {
        joining.remove(follower);
    }

    /** Decides the batch: drops failed in-sync followers through the controller first. */
    private void complete(Placement placement, Shipment batch, int copies, List<String> failed) {
        int min = cluster.settings().minInSync();
        if (failed.isEmpty()) {
            finish(batch, copies >= min ? null : tooFew(copies));
            return;
        }
        List<String> out = List.copyOf(failed);
        String me = cluster.settings().nodeId();
        CompletableFuture.runAsync(() -> out.forEach(n -> cluster.placements().reportOutOfSync(destination, 0, n,
                        placement.epoch(), me)), owner.executor())
                .thenCompose(v -> cluster.placements().when(id, p -> p.isEmpty() || p.get().epoch() != placement.epoch()
                        || out.stream().noneMatch(n -> p.get().inSync().contains(n))))
                .orTimeout(LogShipper.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((now, error) -> {
                    if (error != null || now.isEmpty() || now.get().epoch() != placement.epoch()
                            || !now.get().leader().equals(me)) {
                        finish(batch, new MomException(ErrorCode.UNAVAILABLE, "replication of " + destination
                                + " failed on " + out + " and they could not be taken out of the in-sync set"));
                    } else {
                        log.info("event=follower_dropped destination={} followers={} epoch={}", destination, out,
                                placement.epoch());
                        finish(batch, copies >= min ? null : tooFew(copies));
                    }
                });
    }

    private MomException tooFew(int copies) {
        return new MomException(ErrorCode.UNAVAILABLE, "only " + copies + " copies of " + destination
                + " took the write; " + cluster.settings().minInSync() + " are required");
    }

    /** Decides a batch; settles the decided batches at the head of the flight, in order, and ships more. */
    private void finish(Shipment shipment, MomException error) {
        long lag;
        List<Shipment> inline = new ArrayList<>();
        synchronized (this) {
            shipment.decided = true;
            shipment.error = error;
            while (!inFlight.isEmpty() && inFlight.peek().decided) {
                Shipment head = inFlight.poll();
                for (Pending p : head.batch) {
                    unshipped -= p.ops().size();
                }
                try {
                    completions.execute(() -> settle(head.batch, head.error));
                } catch (RejectedExecutionException e) {
                    inline.add(head); // the shipper is closed
                }
            }
            lag = unshipped;
        }
        owner.reportLag(destination, lag);
        inline.forEach(head -> settle(head.batch, head.error));
        sendNext();
    }

    private static void settle(List<Pending> batch, MomException error) {
        for (Pending p : batch) {
            if (error == null) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(error);
            }
        }
    }

    /** Copies the destination's full state to {@code follower}; runs on the shipper's executor, pipeline held. */
    private void catchUp(String follower) {
        try {
            Placement placement = cluster.placements().placement(destination, 0).orElse(null);
            String me = cluster.settings().nodeId();
            Member member = cluster.membership().member(follower).orElse(null);
            boolean termCopy;
            synchronized (this) {
                termCopy = termCopies.contains(follower);
            }
            if (placement == null || !placement.leader().equals(me) || placement.inSync().contains(follower) && !termCopy
                    || !placement.replicas().contains(follower) || member == null) {
                synchronized (this) {
                    termCopies.remove(follower);
                }
                return;
            }
            long seq;
            CompletableFuture<Void> local;
            synchronized (this) {
                if (placement.epoch() != epoch) {
                    return; // sendNext resets the epoch first; try again on the next scan
                }
                seq = sequence;
                local = shippedLocally;
            }
            local.get(LogShipper.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            List<LogOp> state = DestinationSnapshot.read(owner.localStore(), destination);
            long applied = owner.install(member, destination, placement.epoch(), seq, state);
            synchronized (this) {
                if (epoch != placement.epoch()) {
                    return;
                }
                joining.add(follower);
                termCopies.remove(follower);
            }
            cluster.placements().reportCaughtUp(destination, 0, follower, placement.epoch());
            log.info("event=caught_up destination={} follower={} epoch={} sequence={} operations={} took_ms={}",
                    destination, follower, placement.epoch(), seq, applied, (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("event=catch_up_failed destination={} follower={} error={}", destination, follower, e.toString());
            boolean termCopy;
            synchronized (this) {
                termCopy = termCopies.remove(follower);
            }
            if (termCopy) {
                // It must not count as a copy of this term without the copy: out of the in-sync set it
                // goes, and the catch-up scan brings it back.
                cluster.placements().placement(destination, 0).ifPresent(p -> cluster.placements().reportOutOfSync(
                        destination, 0, follower, p.epoch(), cluster.settings().nodeId()));
            }
            owner.backOff(destination, follower);
        } finally {
            synchronized (this) {
                catchingUp = false;
            }
            sendNext();
        }
    }
}
