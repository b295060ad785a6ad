package io.mom.server.cluster;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import io.mom.cluster.Member;
import io.mom.cluster.MembershipListener;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.grpc.internal.v1.InstallChunk;
import io.mom.grpc.internal.v1.InstallResponse;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ships a leader's log to the followers of each destination it leads, and brings followers that are
 * not in sync up to date.
 *
 * <p><b>Order and batching.</b> One {@link ShipPipeline} per destination: up to
 * {@link ShipPipeline#MAX_IN_FLIGHT} batches are in flight, on one ordered stream per follower; the
 * operations written while the flight is full queue up and leave together as the next batch, so
 * replicas apply batches in the leader's order and many producers share one round trip. A batch
 * carries the placement epoch and a sequence number (1, 2, 3... per epoch).
 *
 * <p><b>When a write counts as replicated.</b> Every in-sync follower that is a live member must
 * confirm it has the batch durably; an in-sync follower whose node has left the cluster is skipped
 * (the controller drops it from the in-sync set). A live in-sync follower that fails (deadline
 * {@link #DEADLINE}, unreachable, rejected batch) is reported to the controller, which takes it out
 * of the in-sync set; the write then succeeds if at least {@code minInSync} copies (the leader
 * included) took it, and fails with {@code UNAVAILABLE} otherwise (the producer retries; the local
 * copy may keep it, which is at-least-once).
 *
 * <p><b>Catch-up.</b> {@link #scan()} (on placement and membership changes and every
 * {@value #SCAN_MILLIS} ms) finds live followers that are not in sync and has their pipeline copy
 * the destination's full state to them ({@code Install}), after which they receive every batch and
 * are reported caught up; the controller then puts them back in sync.
 *
 * <p>Thread-safe. {@link #close()} stops the scans and catch-ups.
 */
final class LogShipper implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final Duration INSTALL_DEADLINE = Duration.ofSeconds(60);
    static final long SCAN_MILLIS = 500;
    private static final Duration REPORT_AGAIN = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final int CHUNK_OPS = 512;
    static final Metadata.Key<String> PEER_HEADER = Metadata.Key.of("x-mom-peer", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);

    private final ZkCluster cluster;
    private final Peers peers;
    private final io.mom.core.spi.BrokerEvents events;
    private final MessageStore localStore;
    private final Map<String, ShipPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Long> retryAt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            daemon("mom-catch-up-scan"));
    private final ExecutorService executor = Executors.newFixedThreadPool(2, daemon("mom-catch-up"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            daemon("mom-replication-deadline"));
    private final ExecutorService completions = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("mom-replicated"));

    LogShipper(ZkCluster cluster, Peers peers, MessageStore localStore, io.mom.core.spi.BrokerEvents events) {
        this.events = events;
        this.cluster = cluster;
        this.peers = peers;
        this.localStore = localStore;
        cluster.placements().addListener((id, previous, current) -> triggerScan());
        cluster.membership().addListener(new MembershipListener() {
            @Override
            public void joined(Member member) {
                triggerScan();
            }

            @Override
            public void left(String nodeId) {
                triggerScan();
            }
        });
        scanner.scheduleWithFixedDelay(this::scanQuietly, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Operations of a destination written locally but not yet applied by its in-sync followers. */
    void reportLag(String destination, long operations) {
        events.replicationLag(destination, 0, operations);
    }

    private void triggerScan() {
        try {
            scanner.execute(this::scanQuietly);
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.warn("event=catch_up_scan_failed error={}", e.toString());
        }
    }

    /** Throws {@code UNAVAILABLE} unless this node may write {@code destination} now. */
    void checkLeader(String destination) {
        Placement p = cluster.placements().placement(destination, 0).orElse(null);
        if (p == null) {
            return; // not placed (yet): a local-only write
        }
        if (!p.leader().equals(cluster.settings().nodeId()) || !cluster.view().leaderSessionHealthy()) {
            throw new MomException(ErrorCode.UNAVAILABLE, "this node does not lead " + destination + " now");
        }
        if (!p.writable(cluster.settings().minInSync())) {
            throw new MomException(ErrorCode.UNAVAILABLE, destination + " has fewer than "
                    + cluster.settings().minInSync() + " in-sync copies");
        }
    }

    /**
     * Ships {@code ops} of {@code destination}, already handed to the local store whose write
     * completes {@code local}; completes when the replicas have them (see the class comment).
     */
    CompletableFuture<Void> ship(String destination, List<LogOp> ops, CompletableFuture<Void> local) {
        if (cluster.placements().placement(destination, 0).isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return pipeline(destination).enqueue(ops, local);
    }

    private ShipPipeline pipeline(String destination) {
        return pipelines.computeIfAbsent(destination, d -> new ShipPipeline(this, d));
    }

    /**
     * Runs a catch-up for every follower of a destination this node leads that is live and not in
     * sync (a returning node, a follower that failed a batch, a new copy after redistribution), and
     * repeats the "caught up" report for followers still waiting to be put in sync.
     */
    void scan() {
        String me = cluster.settings().nodeId();
        if (!cluster.view().leaderSessionHealthy()) {
            return;
        }
        long now = System.nanoTime();
        for (Placement p : cluster.placements().placements().values()) {
            if (p.id().partition() != 0 || !p.leader().equals(me)) {
                continue;
            }
            String destination = p.id().destination();
            ShipPipeline pipeline = pipeline(destination);
            pipeline.prune(p);
            Set<String> joining = pipeline.joining();
            for (String follower : p.replicas()) {
                if (p.inSync().contains(follower) || cluster.membership().member(follower).isEmpty()) {
                    continue;
                }
                String key = destination + "/" + follower;
                Long notBefore = retryAt.get(key);
                if (notBefore != null && now - notBefore < 0) {
                    continue;
                }
                if (joining.contains(follower)) {
                    retryAt.put(key, now + REPORT_AGAIN.toNanos());
                    try {
                        cluster.placements().reportCaughtUp(destination, 0, follower, p.epoch());
                    } catch (RuntimeException e) {
                        log.debug("Cannot report {} caught up on {}", follower, destination, e);
                    }
                } else {
                    retryAt.put(key, now + REPORT_AGAIN.toNanos());
                    pipeline.requestCatchUp(follower);
                }
            }
        }
    }

    /** Delays the next catch-up attempt of {@code follower} after a failure. */
    void backOff(String destination, String follower) {
        retryAt.put(destination + "/" + follower, System.nanoTime() + RETRY_AFTER_FAILURE.toNanos());
    }

    /**
     * Streams a full-state copy to {@code follower} and waits until it is durable there.
     *
     * @return how many operations the follower applied
     */
    long install(Member follower, String destination, long epoch, long sequence, List<LogOp> state) throws Exception {
        CompletableFuture<InstallResponse> answer = new CompletableFuture<>();
        var stub = ReplicaServiceGrpc.newStub(peers.channel(follower.nodeId(), follower.grpcAddress()))
                .withCallCredentials(credentials())
                .withDeadlineAfter(INSTALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        StreamObserver<InstallChunk> out = stub.install(new StreamObserver<>() {
            @Override
            public void onNext(InstallResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("install ended without an answer"));
            }
        });
        InstallChunk.Builder first = InstallChunk.newBuilder().setDestination(destination).setEpoch(epoch)
                .setSequence(sequence).setLeader(cluster.settings().nodeId());
        int from = 0;
        do {
            int to = Math.min(state.size(), from + CHUNK_OPS);
            ByteString ops = LogOpCodec.encodeToByteString(state.subList(from, to));
            out.onNext(from == 0 ? first.setOps(ops).build() : InstallChunk.newBuilder().setOps(ops).build());
            from = to;
        } while (from < state.size());
        out.onCompleted();
        return answer.get(INSTALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).getOperations();
    }

    ZkCluster cluster() {
        return cluster;
    }

    Peers peers() {
        return peers;
    }

    MessageStore localStore() {
        return localStore;
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Where pipelines complete the writes of a replicated batch (the producers' confirmations and the
     * dispatch of the new messages run there), so the next batch leaves without waiting for them.
     */
    Executor completions() {
        return completions;
    }

    /** Runs the deadlines of batches in flight. */
    ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        executor.shutdownNow();
        completions.shutdown();
        timer.shutdownNow();
    }

    CallCredentials credentials() {
        String token = peers.tokens().issue(Identity.admin("$node-" + cluster.settings().nodeId()));
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(PEER_HEADER, token);
                applier.apply(headers);
            }
        };
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
