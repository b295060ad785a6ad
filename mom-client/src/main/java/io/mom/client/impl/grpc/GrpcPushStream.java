package io.mom.client.impl.grpc;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.mom.client.AckMode;
import io.mom.client.AckResult;
import io.mom.client.MomClientException;
import io.mom.client.NackMode;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.impl.Errors;
import io.mom.client.impl.PushStream;
import io.mom.client.impl.StreamEvent;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.Credit;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.Settle;
import io.mom.grpc.v1.Settled;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A push stream over one {@code Subscribe} call with credit-based flow control. The stream starts with
 * {@code prefetch} credits. With client acks, each delivery's credit is given back as soon as the
 * application acks or nacks it, through its {@code Message} or through the client with its receipt
 * ({@link #released}, called once per delivery by the client's {@code OpenDeliveries}; acks through the
 * {@code Message} travel on this stream, coalesced);
 * with auto-ack, when the handler is done with it (the next {@link #next()}). Credit goes back in grants of a quarter of the
 * prefetch, so the application never has more than {@code prefetch} deliveries it has not settled, and
 * the events buffered here are bounded by the prefetch too.
 *
 * <p>{@code closed} events map to the push-stream contract: deleted or unsubscribed end the stream as
 * deleted; any other reason (logout, server stop, failure) is a lost connection, after which the
 * subscription reconnects. Thread-safe: {@link #next()} is called by the subscription's thread, settles
 * by any thread, gRPC callbacks on the transport thread (they only queue events; the futures of settles
 * are completed on the {@code callbacks} executor); writes to the call are serialised by a lock.
 */
final class GrpcPushStream implements PushStream, ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> subscribed = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<AckResult>> settling = new HashMap<>();
    private final boolean autoAck;
    private final int creditBatch;
    /** Completes the futures of settles off the transport thread. */
    private final Executor callbacks;
    private ClientCallStreamObserver<SubscribeRequest> requests;
    /** Credit earned back and not yet granted. Guarded by this. */
    private int owed;
    private long nextCorrelation;
    /** The last event returned by next() was a delivery (auto-ack: its credit is owed once handled). */
    private boolean handing;
    private volatile boolean closed;

    private GrpcPushStream(SubscribeOptions options, Executor callbacks) {
        this.callbacks = callbacks;
        this.autoAck = options.ackMode() == AckMode.AUTO;
        this.creditBatch = Math.max(1, options.prefetch() / 4);
    }

    /**
     * Opens the stream and waits until the server has accepted it; throws the server's error otherwise
     * (or {@link io.mom.client.UnavailableException} after {@code timeout}).
     */
    static GrpcPushStream open(Channel channel, String token, Source source, SubscribeOptions options,
                               Duration timeout, Executor callbacks) {
        GrpcPushStream stream = new GrpcPushStream(options, callbacks);
        ClientCalls.asyncBidiStreamingCall(
                channel.newCall(MessagingServiceGrpc.getSubscribeMethod(), GrpcChannels.stream(token)), stream);
        stream.write(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                .setSource(GrpcMapping.source(source))
                .setInitialCredit(options.prefetch())
                .setAutoAck(stream.autoAck)).build());
        try {
            stream.subscribed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return stream;
        } catch (ExecutionException e) {
            stream.close();
            throw GrpcErrors.of(e.getCause(), "subscribe to " + source);
        } catch (TimeoutException e) {
            stream.close();
            throw Errors.unreachable("subscribe to " + source + " timed out", e);
        } catch (InterruptedException e) {
            stream.close();
            Thread.currentThread().interrupt();
            throw new MomClientException(Errors.INTERRUPTED, MomClientException.NO_STATUS, "interrupted while subscribing", e);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        this.requests = requestStream;
        // What the server sends is bounded by the protocol (deliveries by our credit, one answer per
        // settle, one closed event), so read everything: no per-message request round trip to the transport.
        requestStream.disableAutoRequestWithInitial(Integer.MAX_VALUE);
    }

    // ---- from the server

    @Override
    public void onNext(SubscribeResponse response) {
        switch (response.getKindCase()) {
            case SUBSCRIBED:
                subscribed.complete(response.getSubscribed().getConsumerId());
                break;
            case DELIVERY:
            case CLOSED:
                events.add(response);
                break;
            case SETTLED:
                settled(response.getSettled());
                break;
            default:
                break; // a newer server's event: ignore
        }
    }

    private void settled(Settled s) {
        CompletableFuture<AckResult> result;
        synchronized (this) {
            result = settling.remove(s.getCorrelationId());
        }
        if (result == null) {
            return;
        }
        if (s.hasError()) {
            MomClientException error = GrpcErrors.of(s.getError());
            callbacks.execute(() -> result.completeExceptionally(error));
        } else {
            AckResult r = new AckResult(s.getApplied(), s.getInvalidList());
            callbacks.execute(() -> result.complete(r));
        }
    }

    @Override
    public void onError(Throwable t) {
        subscribed.completeExceptionally(t);
        events.add(t);
        failSettles(GrpcErrors.of(t, "push stream"));
    }

    @Override
    public void onCompleted() {
        subscribed.completeExceptionally(new IllegalStateException("the server ended the stream before subscribing"));
        events.add(END);
        failSettles(Errors.unreachable("push stream", new IllegalStateException("the stream ended")));
    }

    private void failSettles(MomClientException error) {
        List<CompletableFuture<AckResult>> lost;
        synchronized (this) {
            lost = new ArrayList<>(settling.values());
            settling.clear();
        }
        if (!lost.isEmpty()) {
            callbacks.execute(() -> lost.forEach(f -> f.completeExceptionally(error)));
        }
    }

    // ---- to the subscription

    @Override
    public Optional<StreamEvent> next() throws IOException {
        if (autoAck && handing) {
            earn(1);
        }
        handing = false;
        Object e;
        try {
            e = events.take();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            close();
            return Optional.empty();
        }
        if (e instanceof SubscribeResponse) {
            SubscribeResponse r = (SubscribeResponse) e;
            if (r.hasDelivery()) {
                handing = true;
                return Optional.of(StreamEvent.message(GrpcMapping.delivery(r.getDelivery())));
            }
            CloseReason reason = r.getClosed().getReason();
            if (reason == CloseReason.CLOSE_REASON_DELETED || reason == CloseReason.CLOSE_REASON_UNSUBSCRIBED) {
                return Optional.of(StreamEvent.deleted());
            }
            throw new IOException("the server closed the stream: " + reason);
        }
        events.add(e); // the end stays visible to later calls
        if (closed) {
            return Optional.empty();
        }
        if (e instanceof Throwable) {
            throw new IOException(GrpcErrors.of((Throwable) e, "push stream").getMessage(), (Throwable) e);
        }
        return Optional.empty();
    }

    @Override
    public boolean settlesDeliveries() {
        return !closed;
    }

    @Override
    public CompletableFuture<AckResult> settle(List<String> receipts, Optional<NackMode> nack) {
        CompletableFuture<AckResult> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                result.completeExceptionally(Errors.unreachable("settle", new IllegalStateException("stream closed")));
                return result;
            }
            long id = nextCorrelation++;
            settling.put(id, result);
            Settle.Builder s = Settle.newBuilder().setCorrelationId(id).addAllReceipts(receipts);
            SubscribeRequest.Builder r = SubscribeRequest.newBuilder();
            if (nack.isPresent()) {
                r.setNack(s.setDeadLetter(nack.get() == NackMode.DEAD_LETTER));
            } else {
                r.setAck(s);
            }
            requests.onNext(r.build());
        }
        return result;
    }

    @Override
    public void released(int deliveries) {
        if (!autoAck) {
            earn(deliveries);
        }
    }

    /** Counts settled deliveries and grants their credit back in batches. */
    private synchronized void earn(int credits) {
        owed += credits;
        if (owed >= creditBatch && !closed) {
            requests.onNext(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder().setCredits(owed)).build());
            owed = 0;
        }
    }

    private synchronized void write(SubscribeRequest request) {
        requests.onNext(request);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Cancelling makes the server close the consumer; its unsettled deliveries go to other consumers.
        requests.cancel("closed by the client", null);
        events.add(END);
    }
}
