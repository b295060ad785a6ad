package io.mom.server.cluster;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.grpc.internal.v1.InstallChunk;
import io.mom.grpc.internal.v1.InstallResponse;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.internal.v1.ReplicateResponse;
import io.mom.transport.grpc.StatusMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replica side of replication ({@code mom.internal.v1.ReplicaService}): checks the caller's
 * cluster credential (the peer token and, when the cluster runs TLS, a trusted client certificate:
 * {@code UNAUTHENTICATED} otherwise), fences on the epoch, checks that batches arrive without gaps, and writes each
 * batch to this node's own store, answering once it is durable.
 *
 * <p>Rejections ({@code FAILED_PRECONDITION}): an epoch older than the one this node has seen or
 * cached for the destination (a deposed leader); a sequence that is not the next one at the current
 * epoch, or a new epoch that does not start at 1 (a missed batch: the leader reports this replica out
 * of sync and later sends it a full-state copy, {@code Install}); a batch for a destination this node
 * leads itself; a batch while a full-state copy is being applied. Batches of one destination are
 * applied one at a time. Thread-safe.
 */
final class ReplicaEndpoint extends ReplicaServiceGrpc.ReplicaServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(ReplicaEndpoint.class);

    private final MessageStore store;
    private volatile ZkCluster cluster;
    private volatile PeerToken tokens;
    private volatile PeerTls tls = PeerTls.off();
    private final Map<String, Position> positions = new ConcurrentHashMap<>();

    private static final class Position {
        long epoch;
        long sequence;
        boolean broken;
        boolean installing;
    }

    ReplicaEndpoint(MessageStore store) {
        this.store = store;
    }

    /** Starts accepting batches (the node has joined); before, every call is {@code UNAVAILABLE}. */
    void bind(ZkCluster zk, PeerToken peerTokens, PeerTls peerTls) {
        this.tokens = peerTokens;
        this.tls = peerTls;
        this.cluster = zk;
    }

    /** The service behind the cluster-secret check. */
    ServerServiceDefinition definition() {
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                PeerToken check = tokens;
                if (check == null || cluster == null) {
                    call.close(Status.UNAVAILABLE.withDescription("not joined yet"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                if (!tls.certified(call)) {
                    StatusRuntimeException refused = StatusMapping.toException(PeerTls.refusal());
                    call.close(refused.getStatus(), refused.getTrailers());
                    return new ServerCall.Listener<>() {
                    };
                }
                String token = headers.get(LogShipper.PEER_HEADER);
                if (token == null || check.verify(token).isEmpty()) {
                    call.close(Status.UNAUTHENTICATED.withDescription("cluster credentials required"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
        return ServerInterceptors.intercept(this, auth);
    }

    @Override
    public void replicate(ReplicateRequest request, StreamObserver<ReplicateResponse> response) {
        CompletableFuture<Void> written = apply(request);
        written.whenComplete((v, error) -> {
            if (error == null) {
                response.onNext(ReplicateResponse.getDefaultInstance());
                response.onCompleted();
            } else {
                response.onError(unwrap(error));
            }
        });
    }

    /**
     * Applies the batches of one stream in order and answers each, in order, once it is durable; the
     * first refused or failed batch ends the stream and the later ones are not applied.
     */
    @Override
    public StreamObserver<ReplicateRequest> replicateStream(StreamObserver<ReplicateResponse> response) {
        return new StreamObserver<>() {
            /** Completes once the latest batch is answered; fails once the stream has failed. */
            private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
            private boolean stopped;
            private boolean ended;

            @Override
            public void onNext(ReplicateRequest request) {
                if (stopped) {
                    return;
                }
                CompletableFuture<Void> written = apply(request);
                if (written.isCompletedExceptionally()) {
                    stopped = true;
                }
                ReplicateResponse answer = ReplicateResponse.newBuilder().setEpoch(request.getEpoch())
                        .setSequence(request.getSequence()).build();
                last = last.thenCompose(v -> written).whenComplete((v, error) -> {
                    if (error == null) {
                        answer(answer);
                    } else {
                        end(unwrap(error));
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                stopped = true;
            }

            @Override
            public void onCompleted() {
                last.whenComplete((v, error) -> end(null));
            }

            private synchronized void answer(ReplicateResponse answer) {
                if (!ended) {
                    try {
                        response.onNext(answer);
                    } catch (RuntimeException e) {
                        ended = true; // the leader went away
                    }
                }
            }

            private synchronized void end(Throwable error) {
                if (ended) {
                    return;
                }
                ended = true;
                try {
                    if (error == null) {
                        response.onCompleted();
                    } else {
                        response.onError(error);
                    }
                } catch (RuntimeException e) {
                    // the leader went away
                }
            }
        };
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * Checks a batch and queues its write to the store; the future completes when it is durable, or
     * fails with the gRPC status to answer. Batches queued one after the other become durable in order.
     */
    private CompletableFuture<Void> apply(ReplicateRequest request) {
        String destination = request.getDestination();
        Position position = positions.computeIfAbsent(destination, d -> new Position());
        List<LogOp> ops;
        synchronized (position) {
            String refusal = refusal(request, position);
            if (refusal != null) {
                log.warn("event=replica_rejected destination={} epoch={} sequence={} reason={}", destination,
                        request.getEpoch(), request.getSequence(), refusal);
                return CompletableFuture.failedFuture(
                        Status.FAILED_PRECONDITION.withDescription(refusal).asRuntimeException());
            }
            try {
                ops = LogOpCodec.decode(request.getOps());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(
                        Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
            position.epoch = request.getEpoch();
            position.sequence = request.getSequence();
            // Writes are queued in call order, so batches become durable in sequence order.
            return store.write(ops).handle((v, error) -> {
                if (error == null) {
                    return null;
                }
                synchronized (position) {
                    position.broken = true;
                }
                throw Status.UNAVAILABLE.withDescription("replica store failed").asRuntimeException();
            });
        }
    }

    /**
     * Receives a full-state copy: drops this node's copy of the destination, applies every chunk in
     * order, and answers once all is durable; the batches that follow the copy's sequence are then
     * accepted. Batches for the destination are refused while the copy is being applied.
     */
    @Override
    public StreamObserver<InstallChunk> install(StreamObserver<InstallResponse> response) {
        return new StreamObserver<>() {
            private Position position;
            private long epoch;
            private long sequence;
            private long operations;
            private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
            private boolean failed;

            @Override
            public void onNext(InstallChunk chunk) {
                if (failed) {
                    return;
                }
                if (position == null) {
                    String refusal = installRefusal(chunk);
                    if (refusal != null) {
                        fail(Status.FAILED_PRECONDITION.withDescription(refusal));
                        return;
                    }
                    position = positions.computeIfAbsent(chunk.getDestination(), d -> new Position());
                    epoch = chunk.getEpoch();
                    sequence = chunk.getSequence();
                    synchronized (position) {
                        position.installing = true;
                    }
                    log.info("event=install_started destination={} epoch={} sequence={} leader={}",
                            chunk.getDestination(), epoch, sequence, chunk.getLeader());
                }
                List<LogOp> ops;
                try {
                    ops = LogOpCodec.decode(chunk.getOps());
                } catch (IllegalArgumentException e) {
                    fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
                    return;
                }
                operations += ops.size();
                // Store futures complete in call order: the last one covers every chunk.
                written = store.write(ops);
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
                endInstall(false);
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (position == null) {
                    fail(Status.INVALID_ARGUMENT.withDescription("empty install"));
                    return;
                }
                written.whenComplete((v, error) -> {
                    if (error != null) {
                        fail(Status.UNAVAILABLE.withDescription("replica store failed"));
                        return;
                    }
                    synchronized (position) {
                        position.epoch = epoch;
                        position.sequence = sequence;
                    }
                    endInstall(true);
                    response.onNext(InstallResponse.newBuilder().setOperations(operations).build());
                    response.onCompleted();
                });
            }

            private void fail(Status status) {
                failed = true;
                endInstall(false);
                response.onError(status.asRuntimeException());
            }

            private void endInstall(boolean complete) {
                if (position != null) {
                    synchronized (position) {
                        position.installing = false;
                        position.broken = !complete;
                    }
                }
            }
        };
    }

    private String installRefusal(InstallChunk chunk) {
        if (chunk.getDestination().isEmpty()) {
            return "the first chunk must name the destination";
        }
        String me = cluster.settings().nodeId();
        Placement cached = cluster.placements().placement(chunk.getDestination(), 0).orElse(null);
        if (cached != null && cached.epoch() > chunk.getEpoch()) {
            return "stale epoch " + chunk.getEpoch() + " < " + cached.epoch();
        }
        if (cached != null && cached.leader().equals(me)) {
            return "this node leads " + chunk.getDestination();
        }
        Position position = positions.get(chunk.getDestination());
        if (position != null) {
            synchronized (position) {
                if (position.installing) {
                    return "an install is already running";
                }
                if (chunk.getEpoch() < position.epoch) {
                    return "stale epoch " + chunk.getEpoch() + " < " + position.epoch;
                }
            }
        }
        return null;
    }

    private String refusal(ReplicateRequest request, Position position) {
        String me = cluster.settings().nodeId();
        Placement cached = cluster.placements().placement(request.getDestination(), 0).orElse(null);
        if (cached != null && cached.epoch() > request.getEpoch()) {
            return "stale epoch " + request.getEpoch() + " < " + cached.epoch();
        }
        if (cached != null && cached.epoch() == request.getEpoch() && cached.leader().equals(me)) {
            return "this node leads " + request.getDestination();
        }
        if (position.installing) {
            return "a full-state copy is being applied";
        }
        if (request.getEpoch() < position.epoch) {
            return "stale epoch " + request.getEpoch() + " < " + position.epoch;
        }
        if (request.getEpoch() > position.epoch && request.getSequence() != 1) {
            return "missed the start of epoch " + request.getEpoch() + "; a catch-up is needed";
        }
        if (request.getEpoch() == position.epoch && position.epoch != 0) {
            if (position.broken) {
                return "an earlier batch failed here; a catch-up is needed";
            }
            if (request.getSequence() != position.sequence + 1) {
                return "sequence gap: expected " + (position.sequence + 1) + ", got " + request.getSequence();
            }
        }
        return null;
    }
}
