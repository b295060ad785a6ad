package io.mom.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.mom.cluster.Member;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.spi.LogOp;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.internal.v1.ReplicateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ships a leader's log to the in-sync replicas of each destination it leads.
 *
 * <p><b>Order and batching.</b> One pipeline per destination: at most one batch is in flight; the
 * operations written meanwhile queue up and leave together as the next batch, so replicas apply
 * batches in the leader's order and many producers share one round trip. A batch carries the
 * placement epoch and a sequence number (1, 2, 3... per epoch).
 *
 * <p><b>When a write counts as replicated.</b> Every in-sync follower that is a live member must
 * confirm it has the batch durably; an in-sync follower whose node has left the cluster is skipped
 * (the controller drops it from the in-sync set). If a live in-sync follower fails, or fewer than
 * {@code minInSync} copies (the leader included) took the batch, the writes of the batch fail with
 * {@code UNAVAILABLE} (the producer retries; the local copy may keep it, which is at-least-once).
 * Thread-safe.
 */
final class LogShipper {
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final Metadata.Key<String> PEER_HEADER = Metadata.Key.of("x-mom-peer", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);

    private final ZkCluster cluster;
    private final Peers peers;
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();

    LogShipper(ZkCluster cluster, Peers peers) {
        this.cluster = cluster;
        this.peers = peers;
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

    CompletableFuture<Void> ship(String destination, List<LogOp> ops) {
        if (cluster.placements().placement(destination, 0).isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return pipelines.computeIfAbsent(destination, Pipeline::new).enqueue(ops);
    }

    private record Pending(List<LogOp> ops, CompletableFuture<Void> done) {
    }

    private final class Pipeline {
        private final String destination;
        private List<Pending> queued = new ArrayList<>();
        private boolean sending;
        private long epoch;
        private long sequence;

        Pipeline(String destination) {
            this.destination = destination;
        }

        CompletableFuture<Void> enqueue(List<LogOp> ops) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            synchronized (this) {
                queued.add(new Pending(ops, done));
                if (sending) {
                    return done;
                }
                sending = true;
            }
            sendNext();
            return done;
        }

        private void sendNext() {
            List<Pending> batch;
            Placement placement;
            long seq;
            synchronized (this) {
                if (queued.isEmpty()) {
                    sending = false;
                    return;
                }
                batch = queued;
                queued = new ArrayList<>();
                placement = cluster.placements().placement(destination, 0).orElse(null);
                if (placement != null) {
                    if (placement.epoch() != epoch) {
                        epoch = placement.epoch();
                        sequence = 0;
                    }
                    seq = ++sequence;
                } else {
                    seq = 0;
                }
            }
            if (placement == null) {
                finish(batch, null);
                return;
            }
            send(placement, seq, batch);
        }

        private void send(Placement placement, long seq, List<Pending> batch) {
            String me = cluster.settings().nodeId();
            List<LogOp> ops = new ArrayList<>();
            batch.forEach(p -> ops.addAll(p.ops()));
            ReplicateRequest request = ReplicateRequest.newBuilder().setDestination(destination)
                    .setEpoch(placement.epoch()).setSequence(seq).setLeader(me)
                    .setOps(ByteString.copyFrom(LogOpCodec.encode(ops))).build();
            List<String> followers = placement.inSync().stream().filter(n -> !n.equals(me)).sorted().toList();
            if (followers.isEmpty()) {
                finish(batch, placement.writable(cluster.settings().minInSync()) ? null
                        : new MomException(ErrorCode.UNAVAILABLE, "too few in-sync copies of " + destination));
                return;
            }
            AtomicInteger remaining = new AtomicInteger(followers.size());
            AtomicInteger copies = new AtomicInteger(1);
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (String follower : followers) {
                Member member = cluster.membership().member(follower).orElse(null);
                if (member == null) {
                    // Gone: the controller drops it from the in-sync set; it cannot be promoted meanwhile.
                    if (remaining.decrementAndGet() == 0) {
                        complete(batch, copies.get(), failures);
                    }
                    continue;
                }
                var stub = ReplicaServiceGrpc.newFutureStub(peers.channel(member.nodeId(), member.grpcAddress()))
                        .withCallCredentials(credentials())
                        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                Futures.addCallback(stub.replicate(request), new FutureCallback<ReplicateResponse>() {
                    @Override
                    public void onSuccess(ReplicateResponse r) {
                        copies.incrementAndGet();
                        if (remaining.decrementAndGet() == 0) {
                            complete(batch, copies.get(), failures);
                        }
                    }

                    @Override
                    public void onFailure(Throwable error) {
                        boolean stillMember = cluster.membership().member(follower).isPresent();
                        if (stillMember) {
                            failures.add(follower + ": " + error.getMessage());
                        }
                        if (remaining.decrementAndGet() == 0) {
                            complete(batch, copies.get(), failures);
                        }
                    }
                }, MoreExecutors.directExecutor());
            }
        }

        private void complete(List<Pending> batch, int copies, List<String> failures) {
            MomException error = null;
            if (!failures.isEmpty()) {
                log.warn("event=replication_failed destination={} failures={}", destination, failures);
                error = new MomException(ErrorCode.UNAVAILABLE, "replication of " + destination + " failed");
            } else if (copies < cluster.settings().minInSync()) {
                error = new MomException(ErrorCode.UNAVAILABLE, "only " + copies + " copies of " + destination
                        + " took the write; " + cluster.settings().minInSync() + " are required");
            }
            finish(batch, error);
        }

        private void finish(List<Pending> batch, MomException error) {
            for (Pending p : batch) {
                if (error == null) {
                    p.done().complete(null);
                } else {
                    p.done().completeExceptionally(error);
                }
            }
            sendNext();
        }
    }

    private CallCredentials credentials() {
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
}
