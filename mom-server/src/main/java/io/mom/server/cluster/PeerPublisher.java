package io.mom.server.cluster;

import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.OutgoingMessage;
import io.mom.core.PublishResult;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;
import io.mom.grpc.v1.RequestError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publishes one caller makes through this node to one peer (the leader of their destination),
 * sent on a {@code PublishStream} instead of one {@code Publish} call each: a forwarding node would
 * otherwise open a call, with its headers and token check on both sides, per message. Each publish
 * is one request of the stream and gets its own answer (the ids, or the error that stored nothing),
 * as a {@code Publish} call would; the leader reads the stream's requests in order. An answer that
 * takes longer than {@link PeerBroker#DEADLINE} fails with {@code UNAVAILABLE}; a broken stream fails
 * every publish waiting on it, and the next publish opens a new one; a stream is replaced after
 * {@value #STREAM_SECONDS} s so its credentials stay fresh. The leader reads a stream's requests
 * only as it answers them (256 under way by default), so when {@value #SPREAD_AT} publishes wait on
 * every open stream another one is opened, up to {@value #MAX_STREAMS}. Thread-safe.
 */
final class PeerPublisher {
    static final long STREAM_SECONDS = 60;
    static final int MAX_STREAMS = 4;
    static final int SPREAD_AT = 128;

    private final PeerBroker peer;
    private final Identity caller;
    private final Stream[] streams = new Stream[MAX_STREAMS];

    PeerPublisher(PeerBroker peer, Identity caller) {
        this.peer = peer;
        this.caller = caller;
    }

    CompletableFuture<List<PublishResult>> publish(DestinationRef ref, List<OutgoingMessage> messages) {
        PublishStreamRequest.Builder b = PublishStreamRequest.newBuilder().setDestination(PeerMapping.ref(ref));
        messages.forEach(m -> b.addMessages(PeerMapping.outgoing(m)));
        CompletableFuture<List<PublishResult>> answer = new CompletableFuture<>();
        List<Stream> old = new ArrayList<>();
        Stream stream = null;
        synchronized (this) {
            for (int i = 0; i < streams.length; i++) {
                Stream s = streams[i];
                if (s != null && (s.expired() || s.failed())) {
                    old.add(s);
                    streams[i] = null;
                    s = null;
                }
                if (s == null) {
                    if (stream == null || stream.waiting() >= SPREAD_AT) {
                        s = new Stream();
                        s.open();
                        streams[i] = s;
                        stream = s;
                    }
                    break;
                }
                if (stream == null || s.waiting() < stream.waiting()) {
                    stream = s;
                }
                if (stream.waiting() < SPREAD_AT) {
                    break;
                }
            }
        }
        old.forEach(Stream::finish);
        stream.send(b, answer);
        return answer.orTimeout(PeerBroker.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(error instanceof TimeoutException
                        ? new MomException(ErrorCode.UNAVAILABLE, "node " + peer.nodeId()
                        + " (leader) did not answer a publish in time") : error));
    }

    private static MomException error(RequestError e) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(e.getCode());
        } catch (IllegalArgumentException unknown) {
            code = ErrorCode.INTERNAL;
        }
        return new MomException(code, e.getMessage());
    }

    /** One stream and the publishes waiting for their answer on it. */
    private final class Stream implements ClientResponseObserver<PublishStreamRequest, PublishStreamResponse> {
        private final long openedNanos = System.nanoTime();
        private final Map<Long, CompletableFuture<List<PublishResult>>> owed = new HashMap<>();
        private ClientCallStreamObserver<PublishStreamRequest> requests;
        private long nextId;
        private boolean failed;
        private boolean finished;

        void open() {
            // Not in the caller's context: this stream outlives the call that opens it.
            Context previous = Context.ROOT.attach();
            try {
                MessagingServiceGrpc.newStub(peer.channel()).withCallCredentials(peer.credentials(caller))
                        .publishStream(this);
            } finally {
                Context.ROOT.detach(previous);
            }
        }

        boolean expired() {
            return System.nanoTime() - openedNanos > TimeUnit.SECONDS.toNanos(STREAM_SECONDS);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PublishStreamRequest> stream) {
            requests = stream;
        }

        synchronized boolean failed() {
            return failed || finished;
        }

        synchronized int waiting() {
            return owed.size();
        }

        void send(PublishStreamRequest.Builder request, CompletableFuture<List<PublishResult>> answer) {
            RuntimeException error = null;
            synchronized (this) {
                if (failed || finished) {
                    error = new MomException(ErrorCode.UNAVAILABLE, "node " + peer.nodeId() + " (leader): stream ended");
                } else {
                    long id = ++nextId;
                    owed.put(id, answer);
                    try {
                        requests.onNext(request.setCorrelationId(id).build());
                    } catch (RuntimeException e) {
                        owed.remove(id);
                        error = peer.translate(e);
                    }
                }
            }
            if (error != null) {
                answer.completeExceptionally(error);
            }
        }

        /** No more publishes on this stream: it ends once the ones under way are answered. */
        synchronized void finish() {
            if (!failed && !finished) {
                finished = true;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(PublishStreamResponse r) {
            CompletableFuture<List<PublishResult>> answer;
            synchronized (this) {
                answer = owed.remove(r.getCorrelationId());
            }
            if (answer == null) {
                return;
            }
            if (r.hasPublished()) {
                List<PublishResult> results = new ArrayList<>(r.getPublished().getIdsCount());
                r.getPublished().getIdsList().forEach(id -> results.add(new PublishResult(id, false)));
                answer.complete(results);
            } else {
                answer.completeExceptionally(error(r.getError()));
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(peer.translate(error));
        }

        @Override
        public void onCompleted() {
            fail(new MomException(ErrorCode.UNAVAILABLE, "node " + peer.nodeId() + " (leader) ended the stream"));
        }

        private void fail(MomException error) {
            List<CompletableFuture<List<PublishResult>>> lost;
            synchronized (this) {
                failed = true;
                lost = new ArrayList<>(owed.values());
                owed.clear();
            }
            lost.forEach(f -> f.completeExceptionally(error));
        }
    }
}
