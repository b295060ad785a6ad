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

/**
 * Publishes over one long-lived {@code PublishStream} per token instead of one call per publish: each
 * publish is a request with a correlation id, answered (in any order) when durable. At most
 * {@link #MAX_IN_FLIGHT} requests of a stream are on the wire; further ones wait here, in order, until
 * answers free the window, so callers that bound their own outstanding publishes never make the
 * client buffer without bound, and those that do not are held by this window rather than the network.
 *
 * <p>A stream that fails fails every request it holds with the mapped error; the next publish opens a
 * new stream. A request not answered within the request timeout breaks its stream (the server is
 * presumed lost). When the token changes (a new login), the old stream sends what it holds, then is
 * half-closed. Thread-safe; answers complete their futures on gRPC's callback threads.
 */
final class PublishPipeline implements AutoCloseable {
    /** Most requests of one stream sent and not yet answered. */
    static final int MAX_IN_FLIGHT = 1024;

    private final Channel channel;
    private final long timeoutNanos;
    private final Set<Stream> live = ConcurrentHashMap.newKeySet();
    private Stream current;
    private boolean closed;

    PublishPipeline(Channel channel, Duration requestTimeout) {
        this.channel = channel;
        this.timeoutNanos = requestTimeout.toNanos();
    }

    /** Publishes a batch (or one message); completes with the ids in order once durable. */
    CompletableFuture<List<String>> publish(String token, Destination destination, List<OutgoingMessage> messages) {
        PublishStreamRequest.Builder request = PublishStreamRequest.newBuilder()
                .setDestination(GrpcMapping.ref(destination))
                .addAllMessages(GrpcMapping.outgoing(messages));
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
        return s.send(request, messages.size());
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

    private record Pending(long id, PublishStreamRequest request, int expected, CompletableFuture<List<String>> result,
                           long queuedNanos) {
    }

    /** One {@code PublishStream} call; its state is guarded by the stream itself. */
    private final class Stream implements ClientResponseObserver<PublishStreamRequest, PublishStreamResponse> {
        final String token;
        private final Map<Long, Pending> sent = new LinkedHashMap<>();
        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
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
                    channel.newCall(MessagingServiceGrpc.getPublishStreamMethod(), GrpcChannels.call(token, null)), this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PublishStreamRequest> requestStream) {
            this.requests = requestStream;
        }

        CompletableFuture<List<String>> send(PublishStreamRequest.Builder request, int expected) {
            CompletableFuture<List<String>> result = new CompletableFuture<>();
            synchronized (this) {
                if (broken) {
                    result.completeExceptionally(Errors.unreachable("publish", new IllegalStateException("stream failed")));
                    return result;
                }
                long id = nextId++;
                Pending p = new Pending(id, request.setCorrelationId(id).build(), expected, result, System.nanoTime());
                if (sent.size() < MAX_IN_FLIGHT && waiting.isEmpty()) {
                    write(p);
                } else {
                    waiting.add(p);
                }
            }
            return result;
        }

        /** Called with the lock held. */
        private void write(Pending p) {
            sent.put(p.id(), p);
            requests.onNext(p.request());
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
            Pending p;
            synchronized (this) {
                p = sent.remove(response.getCorrelationId());
                while (sent.size() < MAX_IN_FLIGHT && !waiting.isEmpty()) {
                    write(waiting.poll());
                }
                halfCloseWhenDrained();
            }
            if (p == null) {
                return; // not ours (cannot happen with a conforming server)
            }
            if (response.hasError()) {
                p.result().completeExceptionally(GrpcErrors.of(response.getError()));
            } else if (response.getPublished().getIdsCount() != p.expected()) {
                p.result().completeExceptionally(new MomClientException(Errors.INVALID_RESPONSE,
                        MomClientException.NO_STATUS, "expected " + p.expected() + " ids, got "
                        + response.getPublished().getIdsCount()));
            } else {
                p.result().complete(response.getPublished().getIdsList());
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
            List<Pending> lost;
            synchronized (this) {
                broken = true;
                lost = new ArrayList<>(sent.values());
                lost.addAll(waiting);
                sent.clear();
                waiting.clear();
            }
            live.remove(this);
            lost.forEach(p -> p.result().completeExceptionally(error));
        }

        void expireIfOlderThan(long limitNanos) {
            synchronized (this) {
                Iterator<Pending> oldest = sent.values().iterator();
                if (broken || !oldest.hasNext() || oldest.next().queuedNanos() - limitNanos > 0) {
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
