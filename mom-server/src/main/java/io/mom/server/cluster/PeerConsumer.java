package io.mom.server.cluster;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.mom.core.AckMode;
import io.mom.core.AckResult;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
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

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A push consumer attached on the leader of its destination through a gRPC {@code Subscribe} stream.
 * The leader runs it with credit-based flow.
 *
 * <p>With {@link FlowControl#CREDIT} the listener never gets more deliveries than were granted
 * locally, but the leader is asked for up to {@code readAhead} more ({@code max(256, 8 x prefetch)},
 * in grants of a quarter of that): deliveries that arrive before local credit are held here and
 * handed over as credit comes. Otherwise every local grant would wait a round trip to the leader
 * before its deliveries came back, and a small local window (a gRPC stream passes credit on in steps
 * of its 64-delivery buffer) would cap the rate at a window per round trip. At most
 * {@code credit + readAhead} deliveries are between the nodes or held here; their ack timeouts run on
 * the leader meanwhile. With auto-ack there is no read-ahead (a held delivery is already acked on the
 * leader and would be lost if the stream ended): grants are passed on as they come.
 *
 * <p>With {@link FlowControl#WINDOW} the initial credit is the prefetch and a delivery's
 * credit is returned once the local listener has taken it (so the prefetch bounds the deliveries
 * buffered between the nodes, not the unacked ones), in grants of {@code max(1, prefetch / 4)}: the
 * leader always keeps at least three quarters of the prefetch, so the stream never stalls on credit
 * held back here. Acks go to the leader as unary calls, merged while calls are out
 * ({@link PeerBroker#ack}). When the
 * stream breaks (the leader died), the listener gets {@link CloseReason#FAILED} and the client
 * re-attaches; unacked deliveries come back from the new leader. Thread-safe.
 */
final class PeerConsumer implements Consumer {
    private static final int MIN_READ_AHEAD = 256;
    private final PeerBroker peer;
    private final Identity caller;
    private final SubscriptionRef ref;
    private final ConsumerOptions options;
    private final DeliveryListener listener;
    private final CompletableFuture<Long> subscribed = new CompletableFuture<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** Credits sent to the leader per grant (WINDOW: returned; CREDIT: asked for beyond the local credit). */
    private final int creditBatch;
    /** WINDOW: deliveries taken by the listener whose credit is not returned yet; stream callbacks only. */
    private int owed;
    /** CREDIT: deliveries asked of the leader beyond the local credit. */
    private final int readAhead;
    /** CREDIT: deliveries that came before local credit, oldest first. Guarded by this. */
    private final ArrayDeque<Delivery> early = new ArrayDeque<>();
    /** CREDIT: local credit not used by a delivery yet. Guarded by this. */
    private long localCredit;
    /** CREDIT: credit given to the leader and not used by a delivery yet. Guarded by this. */
    private long leaderCredit;
    private volatile ClientCallStreamObserver<SubscribeRequest> requests;
    private volatile long id;

    private PeerConsumer(PeerBroker peer, Identity caller, SubscriptionRef ref, ConsumerOptions options,
                         DeliveryListener listener) {
        this.peer = peer;
        this.caller = caller;
        this.ref = ref;
        this.options = options;
        this.listener = listener;
        boolean readsAhead = options.flow() == FlowControl.CREDIT && options.ackMode() != AckMode.AUTO;
        this.readAhead = readsAhead ? Math.min(ConsumerOptions.MAX_PREFETCH - options.prefetch(),
                Math.max(MIN_READ_AHEAD, 8 * options.prefetch())) : 0;
        this.creditBatch = options.flow() == FlowControl.WINDOW ? Math.max(1, options.prefetch() / 4)
                : Math.max(1, readAhead / 4);
        this.localCredit = options.prefetch();
        this.leaderCredit = options.prefetch() + readAhead;
    }

    /** Opens the stream and waits for the leader to accept it; the leader's refusal is thrown as is. */
    static PeerConsumer open(PeerBroker peer, Identity caller, SubscriptionRef ref, ConsumerOptions options,
                             DeliveryListener listener) {
        PeerConsumer consumer = new PeerConsumer(peer, caller, ref, options, listener);
        MessagingServiceGrpc.newStub(peer.channel()).withCallCredentials(peer.credentials(caller))
                .subscribe(consumer.new Responses());
        consumer.send(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                .setSource(PeerMapping.ref(ref)).setInitialCredit((int) consumer.leaderCredit)
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
                Delivery delivery = PeerMapping.delivery(ref, r.getDelivery());
                if (options.flow() == FlowControl.CREDIT) {
                    arrived(delivery);
                    return;
                }
                listener.onDelivery(delivery);
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

    /** CREDIT: hands a delivery over if there is local credit, else holds it. */
    private synchronized void arrived(Delivery delivery) {
        if (!open.get()) {
            return;
        }
        leaderCredit--;
        if (localCredit > 0 && early.isEmpty()) {
            localCredit--;
            listener.onDelivery(delivery);
        } else {
            early.add(delivery);
        }
        topUp();
    }

    /** CREDIT: asks the leader for what the local credit and the read-ahead allow beyond what is under way. */
    private void topUp() {
        long want = localCredit + readAhead - leaderCredit - early.size();
        if (want >= creditBatch || (want > 0 && leaderCredit == 0)) {
            int credits = (int) Math.min(Integer.MAX_VALUE, want);
            leaderCredit += credits;
            send(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder().setCredits(credits)).build());
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
            synchronized (this) {
                early.clear();
            }
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
            synchronized (this) {
                localCredit += credits;
                while (localCredit > 0 && !early.isEmpty() && open.get()) {
                    localCredit--;
                    listener.onDelivery(early.poll());
                }
                topUp();
            }
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
            synchronized (this) {
                early.clear();
            }
            cancel();
            listener.onClosed(CloseReason.CLOSED);
        }
    }
}
