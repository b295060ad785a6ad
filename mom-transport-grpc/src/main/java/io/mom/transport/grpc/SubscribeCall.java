package io.mom.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mom.core.AckMode;
import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.FlowControl;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.SubscriptionRef;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.Closed;
import io.mom.grpc.v1.Settle;
import io.mom.grpc.v1.Settled;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.Subscribed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code Subscribe} call: a broker push consumer with {@link FlowControl#CREDIT} whose credit
 * comes from the client.
 *
 * <p>Backpressure: the client's credit is held here and passed to the broker only while the call is
 * ready and fewer than {@code bufferSize} deliveries are granted-but-unsent, so a consumer that stops
 * reading (or grants huge credit) costs at most {@code bufferSize} buffered deliveries, and never more
 * deliveries than it granted. Inbound messages are requested manually: a credit message is read as
 * soon as it is handled, an ack or nack frees its slot only when its answer has been written, so at
 * most {@value #SETTLE_WINDOW} acks are under way per stream.
 *
 * <p>Threading: gRPC callbacks arrive on the call's serialised executor, deliveries and ack results on
 * broker threads. All state and every call on the response observer are guarded by {@code this}; calls
 * into the broker (grant, close, ack) are made without the lock, so the listener never waits on them.
 */
final class SubscribeCall implements StreamObserver<SubscribeRequest>, DeliveryListener, OpenStreams.Stream {
    static final int SETTLE_WINDOW = 64;
    private static final Logger log = LoggerFactory.getLogger(SubscribeCall.class);

    private final Broker broker;
    private final Identity caller;
    private final String token;
    private final ServerCallStreamObserver<SubscribeResponse> out;
    private final OpenStreams streams;
    private final int bufferSize;
    private final int grantBatch;

    private final ArrayDeque<SubscribeResponse> outbox = new ArrayDeque<>();
    private SubscriptionRef source;
    private Consumer consumer;
    private boolean started;
    /** The consumer is attached and its {@code subscribed} event is first in the outbox. */
    private boolean live;
    /** Credit from the client not yet passed to the broker. */
    private long clientCredit;
    /** Credit passed to the broker and not yet used by a delivery. */
    private int atBroker;
    /** Deliveries in the outbox. */
    private int buffered;
    /** Acks and nacks whose answer has not been written. */
    private int settling;
    /** Inbound messages to request at the next pump. */
    private int toRequest;
    private boolean halfClosed;
    /** Set when the stream must end with a {@code closed} event. */
    private CloseReason endReason;
    private boolean ended;

    private SubscribeCall(Broker broker, Identity caller, String token, ServerCallStreamObserver<SubscribeResponse> out,
                          OpenStreams streams, int bufferSize) {
        this.broker = broker;
        this.caller = caller;
        this.token = token;
        this.out = out;
        this.streams = streams;
        this.bufferSize = bufferSize;
        this.grantBatch = Math.max(1, bufferSize / 4);
    }

    /** Sets up flow control on the call; must run inside the service method. */
    static SubscribeCall start(Broker broker, Identity caller, String token,
                               ServerCallStreamObserver<SubscribeResponse> out, OpenStreams streams, int bufferSize) {
        SubscribeCall call = new SubscribeCall(broker, caller, token, out, streams, bufferSize);
        out.disableAutoRequest();
        out.setOnReadyHandler(call::pump);
        out.setOnCancelHandler(call::abandon);
        out.request(1);
        return call;
    }

    // ---- inbound

    @Override
    public void onNext(SubscribeRequest request) {
        try {
            switch (request.getKindCase()) {
                case START -> begin(request.getStart());
                case CREDIT -> credit(request.getCredit().getCredits());
                case ACK -> settle(request.getAck(), false);
                case NACK -> settle(request.getNack(), true);
                default -> throw MomException.invalid("a subscribe message needs start, credit, ack or nack");
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void begin(SubscribeStart start) {
        synchronized (this) {
            if (started) {
                throw MomException.invalid("start must be sent once");
            }
            started = true;
        }
        SubscriptionRef ref = ProtoMapping.source(start.hasSource(), start.getSource());
        int initial = start.getInitialCredit();
        if (initial < 1 || initial > ConsumerOptions.MAX_PREFETCH) {
            throw MomException.invalid("start.initial_credit must be between 1 and " + ConsumerOptions.MAX_PREFETCH);
        }
        int first = Math.min(initial, bufferSize);
        synchronized (this) {
            source = ref;
            clientCredit = initial - first;
            atBroker = first;
        }
        Consumer attached = broker.consume(caller, ref,
                new ConsumerOptions(first, start.getAutoAck() ? AckMode.AUTO : AckMode.CLIENT, FlowControl.CREDIT), this);
        boolean gone;
        synchronized (this) {
            consumer = attached;
            gone = ended;
            if (!gone) {
                outbox.addFirst(SubscribeResponse.newBuilder()
                        .setSubscribed(Subscribed.newBuilder().setConsumerId(attached.id())).build());
                live = true;
                toRequest += SETTLE_WINDOW;
            }
        }
        if (gone) {
            attached.close();
            return;
        }
        streams.add(token, this);
        log.debug("event=grpc_subscribe subscription={} consumer={} user={}", ref, attached.id(), caller.username());
        pump();
    }

    private void credit(int credits) {
        if (credits < 1) {
            throw MomException.invalid("credit.credits must be at least 1");
        }
        synchronized (this) {
            requireLive();
            clientCredit = Math.min(Long.MAX_VALUE / 2, clientCredit + credits);
            toRequest++;
        }
        pump();
    }

    private void settle(Settle settle, boolean nack) {
        SubscriptionRef ref;
        synchronized (this) {
            requireLive();
            ref = source;
            settling++;
        }
        long correlation = settle.getCorrelationId();
        CompletableFuture<AckResult> result;
        try {
            result = nack
                    ? broker.nack(caller, ref, settle.getReceiptsList(),
                    settle.getDeadLetter() ? NackMode.DEAD_LETTER : NackMode.REQUEUE)
                    : broker.ack(caller, ref, settle.getReceiptsList());
        } catch (RuntimeException e) {
            settled(correlation, null, e);
            return;
        }
        result.whenComplete((r, error) -> settled(correlation, r, error));
    }

    private void settled(long correlation, AckResult result, Throwable error) {
        Settled.Builder b = Settled.newBuilder().setCorrelationId(correlation);
        if (error != null) {
            b.setError(StatusMapping.toRequestError(error));
        } else {
            b.setApplied(result.applied()).addAllInvalid(result.invalid());
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            outbox.add(SubscribeResponse.newBuilder().setSettled(b).build());
        }
        pump();
    }

    private void requireLive() {
        if (!live) {
            throw MomException.invalid("start must be the first message");
        }
    }

    @Override
    public void onError(Throwable t) {
        abandon();
    }

    @Override
    public void onCompleted() {
        Consumer c;
        synchronized (this) {
            halfClosed = true;
            c = consumer;
        }
        if (c != null) {
            c.close();
        }
        pump();
    }

    // ---- from the broker (must not block)

    @Override
    public void onDelivery(Delivery delivery) {
        SubscribeResponse response = SubscribeResponse.newBuilder().setDelivery(ProtoMapping.message(delivery)).build();
        synchronized (this) {
            atBroker--;
            if (ended) {
                return;
            }
            outbox.add(response);
            buffered++;
        }
        pump();
    }

    @Override
    public void onClosed(io.mom.core.CloseReason reason) {
        if (reason != io.mom.core.CloseReason.CLOSED) {
            synchronized (this) {
                if (endReason == null) {
                    endReason = ProtoMapping.closeReason(reason);
                }
            }
        }
        pump();
    }

    // ---- control

    @Override
    public String user() {
        return caller.username();
    }

    /** Ends the stream from the server side with a {@code closed} event (logout, shutdown). */
    @Override
    public void end(CloseReason reason) {
        Consumer c;
        synchronized (this) {
            if (endReason == null) {
                endReason = reason;
            }
            c = consumer;
        }
        if (c != null) {
            c.close();
        }
        pump();
    }

    /** Writes what the call can take, ends the stream when due, then passes on credit and inbound demand. */
    private void pump() {
        int grant = 0;
        int request;
        Consumer c;
        boolean finished = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (live) {
                while (out.isReady() && !outbox.isEmpty()) {
                    write(outbox.poll());
                }
            }
            if (endReason != null || (halfClosed && settling == 0)) {
                // What is left is bounded by the buffer and the settle window: flush it and end.
                while (!outbox.isEmpty()) {
                    write(outbox.poll());
                }
                if (endReason != null) {
                    Closed.Builder closed = Closed.newBuilder().setReason(endReason);
                    if (source != null) {
                        closed.setDestination(source.destination().name());
                    }
                    out.onNext(SubscribeResponse.newBuilder().setClosed(closed).build());
                }
                out.onCompleted();
                ended = true;
                finished = true;
            } else if (live && !halfClosed && out.isReady() && clientCredit > 0) {
                long room = bufferSize - atBroker - buffered;
                long grantable = Math.min(room, clientCredit);
                // Credit goes to the broker in batches (a quarter of the buffer, or all the client gave, or
                // whatever fits once nothing is under way) rather than one per written delivery: fewer calls
                // into the broker, which then delivers in bursts.
                if (grantable > 0 && (grantable >= grantBatch || grantable == clientCredit
                        || atBroker + buffered == 0)) {
                    grant = (int) grantable;
                    clientCredit -= grant;
                    atBroker += grant;
                }
            }
            request = finished ? 0 : toRequest;
            toRequest = 0;
            c = consumer;
        }
        if (finished) {
            streams.remove(token, this);
            if (c != null) {
                c.close();
            }
            return;
        }
        if (grant > 0) {
            c.grant(grant);
        }
        if (request > 0) {
            out.request(request);
        }
    }

    /** Called with the lock held. */
    private void write(SubscribeResponse response) {
        out.onNext(response);
        if (response.hasDelivery()) {
            buffered--;
        } else if (response.hasSettled()) {
            settling--;
            toRequest++;
        }
    }

    private void fail(RuntimeException error) {
        Consumer c;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            outbox.clear();
            c = consumer;
            out.onError(StatusMapping.toException(error));
        }
        streams.remove(token, this);
        if (c != null) {
            c.close();
        }
    }

    /** The client cancelled or the transport failed: close the consumer so its unacked deliveries go elsewhere. */
    private void abandon() {
        Consumer c;
        synchronized (this) {
            ended = true;
            outbox.clear();
            c = consumer;
        }
        streams.remove(token, this);
        if (c != null) {
            c.close();
        }
    }
}
