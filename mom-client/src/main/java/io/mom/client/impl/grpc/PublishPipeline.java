package io.mom.client.impl.grpc;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.mom.client.Destination;
import io.mom.client.MomClientException;
import io.mom.client.OutgoingMessage;
import io.mom.client.impl.Errors;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Publishes over one long-lived {@code PublishStream} per token instead of one call per publish: each
 * request carries a correlation id and is answered (in any order) when durable. At most
 * {@link #MAX_IN_FLIGHT} requests of a stream are on the wire. Publishes made while the window is full
 * wait here, in order, and go out coalesced: consecutive waiting publishes to the same destination share
 * one request (up to {@link #MAX_COALESCED} messages and {@link #MAX_COALESCED_BYTES}), which is what
 * makes a busy producer cheap for the client, the network and the server's store; an idle producer
 * still sends each publish at once. A coalesced request that the server refuses as a whole for a reason
 * that stores nothing (such as {@code QUEUE_FULL} or {@code PAYLOAD_TOO_LARGE}) is sent again one publish
 * per request, so every publish gets exactly the answer it would have got alone.
 *
 * <p>A stream that fails fails every publish it holds with the mapped error; the next publish opens a
 * new stream. A request not answered within the request timeout breaks its stream (the server is
 * presumed lost). When the token changes (a new login), the old stream sends what it holds, then is
 * half-closed. Thread-safe; stream callbacks run on the transport thread and complete the publishes'
 * futures on the {@code callbacks} executor.
 */
final class PublishPipeline implements AutoCloseable {
    /** Most requests of one stream sent and not yet answered. */
    static final int MAX_IN_FLIGHT = 16;
    /** Most messages in one coalesced request (below the server's default batch limit of 1,000). */
    static final int MAX_COALESCED = 500;
    /** Most message bytes in one coalesced request (well below the server's 16 MiB request limit). */
    static final int MAX_COALESCED_BYTES = 1 << 20;

    private final Channel channel;
    private final long timeoutNanos;
    /** Completes the publishes' futures off the transport thread. */
    private final Executor callbacks;
    private final Set<Stream> live = ConcurrentHashMap.newKeySet();
    private Stream current;
    private boolean closed;

    PublishPipeline(Channel channel, Duration requestTimeout, Executor callbacks) {
        this.channel = channel;
        this.callbacks = callbacks;
        this.timeoutNanos = requestTimeout.toNanos();
    }

    /** Publishes a batch (or one message); completes with the ids in order once durable. */
    CompletableFuture<List<String>> publish(String token, Destination destination, List<OutgoingMessage> messages) {
        List<io.mom.grpc.v1.OutgoingMessage> encoded = GrpcMapping.outgoing(messages);
        int bytes = 0;
        for (io.mom.grpc.v1.OutgoingMessage m : encoded) {
            bytes += m.getSerializedSize();
        }
        Publish publish = new Publish(destination, encoded, bytes, new CompletableFuture<>(), false);
        Stream s;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
            }
            if (current == null || current.broken || !current.token.equals(token)) {
                if (current != null) {
                    current.retire();
                }
                current = new Stream(token);
                live.add(current);
                current.start();
            }
            s = current;
        }
        s.send(publish);
        return publish.result();
    }

    /** Half-closes the stream of {@code token} (after a logout); its requests in flight are still answered. */
    synchronized void retire(String token) {
        if (current != null && current.token.equals(token)) {
            current.retire();
            current = null;
        }
    }

    /** Breaks the streams whose oldest unanswered request is older than the request timeout. */
    void expireStale() {
        long now = System.nanoTime();
        for (Stream s : live) {
            s.expireIfOlderThan(now - timeoutNanos);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            current = null;
        }
        for (Stream s : live) {
            s.cancel("client closed");
        }
    }

    /** One publish call of the application; {@code alone} ones are never coalesced (a retry after a refusal). */
    private record Publish(Destination destination, List<io.mom.grpc.v1.OutgoingMessage> messages, int bytes,
                           CompletableFuture<List<String>> result, boolean alone) {
        Publish retriedAlone() {
            return new Publish(destination, messages, bytes, result, true);
        }
    }

    /** One request on the wire: the publishes it carries, in order. */
    private record Request(List<Publish> parts, long sentNanos) {
    }

    /** Codes with which a refused request stored nothing, so its publishes can be retried one by one. */
    private static boolean storedNothing(String code) {
        return !code.equals("UNAVAILABLE") && !code.equals("INTERNAL") && !code.isEmpty();
    }

    /** One {@code PublishStream} call; its state is guarded by the stream itself. */
    private final class Stream implements ClientResponseObserver<PublishStreamRequest, PublishStreamResponse> {
        final String token;
        private final Map<Long, Request> sent = new LinkedHashMap<>();
        private final ArrayDeque<Publish> waiting = new ArrayDeque<>();
        private ClientCallStreamObserver<PublishStreamRequest> requests;
        private long nextId;
        private boolean retiring;
        private boolean halfClosed;
        volatile boolean broken;

        Stream(String token) {
            this.token = token;
        }

        void start() {
            ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(MessagingServiceGrpc.getPublishStreamMethod(), GrpcChannels.stream(token)), this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PublishStreamRequest> requestStream) {
            this.requests = requestStream;
            // Answers are bounded by the requests in flight: read them all without per-answer requests.
            requestStream.disableAutoRequestWithInitial(Integer.MAX_VALUE);
        }

        void send(Publish publish) {
            synchronized (this) {
                if (!broken) {
                    waiting.add(publish);
                    writeWhatFits();
                    return;
                }
            }
            publish.result().completeExceptionally(Errors.unreachable("publish", new IllegalStateException("stream failed")));
        }

        /** Sends waiting publishes while the window has room, coalescing neighbours. Called with the lock held. */
        private void writeWhatFits() {
            while (sent.size() < MAX_IN_FLIGHT && !waiting.isEmpty()) {
                Publish first = waiting.poll();
                List<Publish> parts = new ArrayList<>(1);
                parts.add(first);
                PublishStreamRequest.Builder b = PublishStreamRequest.newBuilder()
                        .setDestination(GrpcMapping.ref(first.destination())).addAllMessages(first.messages());
                int count = first.messages().size();
                int bytes = first.bytes();
                while (!first.alone() && !waiting.isEmpty()) {
                    Publish next = waiting.peek();
                    if (next.alone() || !next.destination().equals(first.destination())
                            || count + next.messages().size() > MAX_COALESCED || bytes + next.bytes() > MAX_COALESCED_BYTES) {
                        break;
                    }
                    waiting.poll();
                    parts.add(next);
                    b.addAllMessages(next.messages());
                    count += next.messages().size();
                    bytes += next.bytes();
                }
                long id = nextId++;
                sent.put(id, new Request(parts, System.nanoTime()));
                requests.onNext(b.setCorrelationId(id).build());
            }
            halfCloseWhenDrained();
        }

        synchronized void retire() {
            retiring = true;
            halfCloseWhenDrained();
        }

        /** Called with the lock held. */
        private void halfCloseWhenDrained() {
            if (retiring && !halfClosed && !broken && waiting.isEmpty()) {
                halfClosed = true;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(PublishStreamResponse response) {
            Request r;
            boolean retryAlone;
            synchronized (this) {
                r = sent.remove(response.getCorrelationId());
                retryAlone = r != null && response.hasError() && r.parts().size() > 1
                        && storedNothing(response.getError().getCode());
                if (retryAlone) {
                    for (int i = r.parts().size() - 1; i >= 0; i--) {
                        waiting.addFirst(r.parts().get(i).retriedAlone());
                    }
                }
                writeWhatFits();
            }
            if (r == null || retryAlone) {
                return; // unknown id (a non-conforming server), or being retried one by one
            }
            callbacks.execute(() -> complete(r, response));
        }

        /** Completes the futures of one answered request (on the callback executor). */
        private void complete(Request r, PublishStreamResponse response) {
            if (response.hasError()) {
                MomClientException error = GrpcErrors.of(response.getError());
                r.parts().forEach(p -> p.result().completeExceptionally(error));
                return;
            }
            List<String> ids = response.getPublished().getIdsList();
            int expected = r.parts().stream().mapToInt(p -> p.messages().size()).sum();
            if (ids.size() != expected) {
                MomClientException error = new MomClientException(Errors.INVALID_RESPONSE, MomClientException.NO_STATUS,
                        "expected " + expected + " ids, got " + ids.size());
                r.parts().forEach(p -> p.result().completeExceptionally(error));
                return;
            }
            int at = 0;
            for (Publish p : r.parts()) {
                int n = p.messages().size();
                p.result().complete(ids.subList(at, at + n));
                at += n;
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(GrpcErrors.of(t, "publish"));
        }

        @Override
        public void onCompleted() {
            fail(Errors.unreachable("publish", new IllegalStateException("the server ended the publish stream")));
        }

        private void fail(MomClientException error) {
            List<Publish> lost = new ArrayList<>();
            synchronized (this) {
                broken = true;
                sent.values().forEach(r -> lost.addAll(r.parts()));
                lost.addAll(waiting);
                sent.clear();
                waiting.clear();
            }
            live.remove(this);
            if (!lost.isEmpty()) {
                callbacks.execute(() -> lost.forEach(p -> p.result().completeExceptionally(error)));
            }
        }

        void expireIfOlderThan(long limitNanos) {
            synchronized (this) {
                Iterator<Request> oldest = sent.values().iterator();
                if (broken || !oldest.hasNext() || oldest.next().sentNanos() - limitNanos > 0) {
                    return;
                }
            }
            cancel("no answer to a publish within the request timeout");
        }

        void cancel(String why) {
            synchronized (this) {
                if (broken) {
                    return;
                }
            }
            requests.cancel(why, null); // onError follows and fails what is held
        }
    }
}
