package io.mom.server.cluster;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.MessageStore;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.internal.v1.ReplicateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replica side of replication ({@code mom.internal.v1.ReplicaService}): checks the caller's
 * cluster credential, fences on the epoch, checks that batches arrive without gaps, and writes each
 * batch to this node's own store, answering once it is durable.
 *
 * <p>Rejections ({@code FAILED_PRECONDITION}): an epoch older than the one this node has seen or
 * cached for the destination (a deposed leader); a sequence that is not the next one at the current
 * epoch (a missed batch: this replica needs a catch-up, which is not implemented, so it stays out of
 * date until it leaves the in-sync set); a batch for a destination this node leads itself.
 * Batches of one destination are applied one at a time. Thread-safe.
 */
final class ReplicaEndpoint extends ReplicaServiceGrpc.ReplicaServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(ReplicaEndpoint.class);

    private final MessageStore store;
    private volatile ZkCluster cluster;
    private volatile PeerToken tokens;
    private final Map<String, Position> positions = new ConcurrentHashMap<>();

    private static final class Position {
        long epoch;
        long sequence;
        boolean broken;
    }

    ReplicaEndpoint(MessageStore store) {
        this.store = store;
    }

    /** Starts accepting batches (the node has joined); before, every call is {@code UNAVAILABLE}. */
    void bind(ZkCluster zk, PeerToken peerTokens) {
        this.tokens = peerTokens;
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
        String destination = request.getDestination();
        Position position = positions.computeIfAbsent(destination, d -> new Position());
        List<LogOp> ops;
        synchronized (position) {
            String refusal = refusal(request, position);
            if (refusal != null) {
                log.warn("event=replica_rejected destination={} epoch={} sequence={} reason={}", destination,
                        request.getEpoch(), request.getSequence(), refusal);
                response.onError(Status.FAILED_PRECONDITION.withDescription(refusal).asRuntimeException());
                return;
            }
            try {
                ops = LogOpCodec.decode(request.getOps().toByteArray());
            } catch (IllegalArgumentException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            position.epoch = request.getEpoch();
            position.sequence = request.getSequence();
            // Writes are queued in call order, so batches become durable in sequence order.
            store.write(ops).whenComplete((v, error) -> {
                if (error == null) {
                    response.onNext(ReplicateResponse.getDefaultInstance());
                    response.onCompleted();
                } else {
                    synchronized (position) {
                        position.broken = true;
                    }
                    response.onError(Status.UNAVAILABLE.withDescription("replica store failed").asRuntimeException());
                }
            });
        }
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
        if (request.getEpoch() < position.epoch) {
            return "stale epoch " + request.getEpoch() + " < " + position.epoch;
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
