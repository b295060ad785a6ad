package io.mom.server.cluster;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.DeliveryListener;
import io.mom.core.ErrorCode;
import io.mom.core.FlowControl;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.SubscriptionRef;
import io.mom.grpc.v1.Credit;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A push consumer attached on the leader of its destination through a gRPC {@code Subscribe} stream.
 * The leader runs it with credit-based flow: the initial credit is the prefetch; with
 * {@link FlowControl#CREDIT} local grants are passed on, with {@link FlowControl#WINDOW} a delivery's
 * credit is returned once the local listener has taken it (so the prefetch bounds the deliveries
 * buffered between the nodes, not the unacked ones), in grants of {@code max(1, prefetch / 4)}: the
 * leader always keeps at least three quarters of the prefetch, so the stream never stalls on credit
 * held back here. Acks go to the leader as unary calls, merged while calls are out
 * ({@link PeerBroker#ack}). When the
 * stream breaks (the leader died), the listener gets {@link CloseReason#FAILED} and the client
 * re-attaches; unacked deliveries come back from the new leader. Thread-safe.
 */
final class PeerConsumer implements Consumer {
    private final PeerBroker peer;
    private final Identity caller;
    private final SubscriptionRef ref;
    private final ConsumerOptions options;
    private final DeliveryListener listener;
    private final CompletableFuture<Long> subscribed = new CompletableFuture<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** WINDOW: credits returned per grant. */
    private final int creditBatch;
    /** WINDOW: deliveries taken by the listener whose credit is not returned yet; stream callbacks only. */
    private int owed;
    private volatile ClientCallStreamObserver<SubscribeRequest> requests;
    private volatile long id;

    private PeerConsumer(PeerBroker peer, Identity caller, SubscriptionRef ref, ConsumerOptions options,
                         DeliveryListener listener) {
        this.peer = peer;
        this.caller = caller;
        this.ref = ref;
        this.options = options;
        this.listener = listener;
        this.creditBatch = Math.max(1, options.prefetch() / 4);
    }

    /** Opens the stream and waits for the leader to accept it; the leader's refusal is thrown as is. */
    static PeerConsumer open(PeerBroker peer, Identity caller, SubscriptionRef ref, ConsumerOptions options,
                             DeliveryListener listener) {
        PeerConsumer consumer = new PeerConsumer(peer, caller, ref, options, listener);
        MessagingServiceGrpc.newStub(peer.channel()).withCallCredentials(peer.credentials(caller))
                .subscribe(consumer.new Responses());
        consumer.send(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                .setSource(PeerMapping.ref(ref)).setInitialCredit(options.prefetch())
                .setAutoAck(PeerMapping.autoAck(options.ackMode()))).build());
        try {
            consumer.id = consumer.subscribed.get(PeerBroker.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return consumer;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MomException ? (MomException) e.getCause() : peer.translate(e.getCause());
        } catch (TimeoutException e) {
            consumer.cancel();
            throw new MomException(ErrorCode.UNAVAILABLE, "node " + peer.nodeId() + " did not accept the stream in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consumer.cancel();
            throw new MomException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }

    private final class Responses implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> stream) {
            requests = stream;
        }

        @Override
        public void onNext(SubscribeResponse r) {
            if (r.hasSubscribed()) {
                subscribed.complete(r.getSubscribed().getConsumerId());
            } else if (r.hasDelivery()) {
                listener.onDelivery(PeerMapping.delivery(ref, r.getDelivery()));
                if (options.flow() == FlowControl.WINDOW && ++owed >= creditBatch && open.get()) {
                    int credits = owed;
                    owed = 0;
                    send(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder().setCredits(credits)).build());
                }
            } else if (r.hasClosed()) {
                end(PeerMapping.closeReason(r.getClosed().getReason()));
            }
        }

        @Override
        public void onError(Throwable error) {
            subscribed.completeExceptionally(peer.translate(error));
            end(CloseReason.FAILED);
        }

        @Override
        public void onCompleted() {
            end(CloseReason.FAILED);
        }
    }

    private synchronized void send(SubscribeRequest request) {
        try {
            requests.onNext(request);
        } catch (RuntimeException e) {
            end(CloseReason.FAILED);
        }
    }

    private void end(CloseReason reason) {
        if (open.compareAndSet(true, false)) {
            cancel();
            if (subscribed.isDone()) {
                listener.onClosed(reason);
            }
        }
    }

    private void cancel() {
        ClientCallStreamObserver<SubscribeRequest> stream = requests;
        if (stream != null) {
            stream.cancel("consumer closed", null);
        }
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SubscriptionRef subscription() {
        return ref;
    }

    @Override
    public void grant(int credits) {
        if (credits > 0 && open.get() && options.flow() == FlowControl.CREDIT) {
            send(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder().setCredits(credits)).build());
        }
    }

    @Override
    public CompletableFuture<AckResult> ack(List<String> receipts) {
        return peer.ack(caller, ref, receipts);
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            cancel();
            listener.onClosed(CloseReason.CLOSED);
        }
    }
}
