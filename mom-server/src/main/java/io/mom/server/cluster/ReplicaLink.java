package io.mom.server.cluster;

import io.grpc.CallCredentials;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.internal.v1.ReplicateResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The replication stream ({@code ReplicateStream}) from a destination's leader to one follower: the
 * batches sent on it are applied by the follower in send order and answered in that order, so several
 * may be in flight. {@link #send} returns a future that completes when the follower has the batch
 * durably, or fails when the stream fails (the follower refused a batch, is unreachable, or took
 * longer than {@code deadline} to answer a batch); a failure fails every batch in flight on the stream,
 * and the next {@link #send} opens a new stream. Thread-safe; sends are ordered by the link's monitor.
 */
final class ReplicaLink {
    private final ManagedChannel channel;
    private final CallCredentials credentials;
    private final ScheduledExecutorService timer;
    private final Duration deadline;
    private Stream current;

    ReplicaLink(ManagedChannel channel, CallCredentials credentials, ScheduledExecutorService timer,
                Duration deadline) {
        this.channel = channel;
        this.credentials = credentials;
        this.timer = timer;
        this.deadline = deadline;
    }

    /** The channel the link sends on (a follower that moved needs a new link). */
    ManagedChannel channel() {
        return channel;
    }

    /** Sends a batch; the future completes once the follower has it durably. */
    CompletableFuture<Void> send(ReplicateRequest request) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        Stream stream;
        RuntimeException error;
        synchronized (this) {
            if (current == null || current.failed()) {
                current = new Stream();
                current.open();
            }
            stream = current;
            error = stream.send(request, answer);
        }
        if (error != null) {
            stream.fail(error);
            answer.completeExceptionally(error);
            return answer;
        }
        try {
            timer.schedule(() -> {
                if (!answer.isDone()) {
                    stream.cancel("no answer to batch " + request.getSequence() + " within " + deadline.toMillis()
                            + " ms");
                }
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stream.cancel("the shipper is closed");
        }
        return answer;
    }

    /** Ends the stream; batches in flight fail. */
    synchronized void close() {
        if (current != null) {
            current.cancel("replication link closed");
            current = null;
        }
    }

    /** One gRPC stream and the answers it owes, oldest first. */
    private final class Stream implements ClientResponseObserver<ReplicateRequest, ReplicateResponse> {
        private final ArrayDeque<CompletableFuture<Void>> owed = new ArrayDeque<>();
        private ClientCallStreamObserver<ReplicateRequest> requests;
        private boolean failed;

        void open() {
            // Not in the caller's context: a forwarded publish's server call ends before the stream does.
            Context previous = Context.ROOT.attach();
            try {
                ReplicaServiceGrpc.newStub(channel).withCallCredentials(credentials).replicateStream(this);
            } finally {
                Context.ROOT.detach(previous);
            }
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ReplicateRequest> stream) {
            requests = stream;
        }

        synchronized boolean failed() {
            return failed;
        }

        /** Writes a batch; returns the error when the stream cannot take it (the caller fails the stream). */
        synchronized RuntimeException send(ReplicateRequest request, CompletableFuture<Void> answer) {
            if (failed) {
                return Status.UNAVAILABLE.withDescription("replication stream failed").asRuntimeException();
            }
            try {
                requests.onNext(request);
            } catch (RuntimeException e) {
                return e;
            }
            owed.add(answer);
            return null;
        }

        void cancel(String why) {
            ClientCallStreamObserver<ReplicateRequest> r = requests;
            fail(Status.DEADLINE_EXCEEDED.withDescription(why).asRuntimeException());
            if (r != null) {
                r.cancel(why, null);
            }
        }

        @Override
        public void onNext(ReplicateResponse value) {
            CompletableFuture<Void> answer;
            synchronized (this) {
                answer = owed.poll();
            }
            if (answer != null) {
                answer.complete(null);
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        @Override
        public void onCompleted() {
            fail(Status.UNAVAILABLE.withDescription("the follower ended the replication stream").asRuntimeException());
        }

        void fail(Throwable error) {
            List<CompletableFuture<Void>> lost;
            synchronized (this) {
                failed = true;
                lost = new ArrayList<>(owed);
                owed.clear();
            }
            lost.forEach(f -> f.completeExceptionally(error));
        }
    }
}
