package io.mom.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mom.core.Broker;
import io.mom.core.Identity;
import io.mom.core.PublishResult;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code PublishStream} call. Inbound flow control is manual: the stream asks gRPC for another
 * request only while fewer than {@code maxInFlight} requests are requested, being published or
 * answered-but-unsent, so a fast producer is held back by HTTP/2 flow control instead of filling the
 * server's memory. Answers go out in completion order, only while the call is ready; a slow reader
 * therefore also stops the intake. When the server ends the stream (logout of its token, shutdown), it
 * stops reading, answers what it has read and completes the call; unread requests were not stored.
 *
 * <p>Threading: gRPC callbacks arrive on the call's serialised executor, answers on broker threads;
 * all state and every call on the response observer are guarded by {@code this}. Calls into the broker
 * are made without the lock.
 */
final class PublishStreamCall implements StreamObserver<PublishStreamRequest>, OpenStreams.Stream {
    private final Broker broker;
    private final Identity caller;
    private final String token;
    private final ServerCallStreamObserver<PublishStreamResponse> out;
    private final OpenStreams streams;
    private final int maxInFlight;

    private final ArrayDeque<PublishStreamResponse> answers = new ArrayDeque<>();
    /** Requests asked of gRPC and not yet received. */
    private int requested;
    /** Requests received whose publish has not completed. */
    private int publishing;
    private boolean inputDone;
    private boolean ended;

    private PublishStreamCall(Broker broker, Identity caller, String token,
                              ServerCallStreamObserver<PublishStreamResponse> out, OpenStreams streams, int maxInFlight) {
        this.broker = broker;
        this.caller = caller;
        this.token = token;
        this.out = out;
        this.streams = streams;
        this.maxInFlight = maxInFlight;
    }

    /** Sets up flow control on the call; must run inside the service method. */
    static PublishStreamCall start(Broker broker, Identity caller, String token,
                                   ServerCallStreamObserver<PublishStreamResponse> out, OpenStreams streams,
                                   int maxInFlight) {
        PublishStreamCall call = new PublishStreamCall(broker, caller, token, out, streams, maxInFlight);
        streams.add(token, call);
        out.disableAutoRequest();
        out.setOnReadyHandler(call::drain);
        out.setOnCancelHandler(call::abandon);
        call.drain();
        return call;
    }

    @Override
    public void onNext(PublishStreamRequest request) {
        long correlation = request.getCorrelationId();
        synchronized (this) {
            requested--;
            if (ended || inputDone) {
                return; // read after the server ended the stream: not published, and not answered
            }
            publishing++;
        }
        CompletableFuture<List<PublishResult>> published;
        try {
            published = broker.publishAll(caller,
                    ProtoMapping.destination(request.hasDestination(), request.getDestination(), "destination"),
                    ProtoMapping.outgoing(request.getMessagesList()));
        } catch (RuntimeException e) {
            answer(failed(correlation, e));
            return;
        }
        published.whenComplete((results, error) -> answer(error != null ? failed(correlation, error)
                : PublishStreamResponse.newBuilder()
                        .setCorrelationId(correlation)
                        .setPublished(MessagingGrpcService.published(results))
                        .build()));
    }

    private static PublishStreamResponse failed(long correlation, Throwable error) {
        return PublishStreamResponse.newBuilder()
                .setCorrelationId(correlation)
                .setError(StatusMapping.toRequestError(error))
                .build();
    }

    private void answer(PublishStreamResponse response) {
        synchronized (this) {
            publishing--;
            if (!ended) {
                answers.add(response);
            }
        }
        drain();
    }

    /** Writes what the call can take, then asks for as many requests as the window allows. */
    private void drain() {
        boolean finished = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            while (!answers.isEmpty() && out.isReady()) {
                out.onNext(answers.poll());
            }
            if (inputDone) {
                if (publishing == 0 && answers.isEmpty()) {
                    ended = true;
                    finished = true;
                    out.onCompleted();
                }
            } else {
                requestMore();
            }
        }
        if (finished) {
            streams.remove(token, this);
        }
    }

    /** Called with the lock held. */
    private void requestMore() {
        int room = maxInFlight - requested - publishing - answers.size();
        if (room > 0) {
            requested += room;
            out.request(room);
        }
    }

    @Override
    public void onError(Throwable t) {
        abandon();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            inputDone = true;
        }
        drain();
    }

    @Override
    public String user() {
        return caller.username();
    }

    /** Stops reading; the call completes once the requests read so far are answered. */
    @Override
    public void end(CloseReason reason) {
        synchronized (this) {
            inputDone = true;
        }
        drain();
    }

    /** The client went away: publishes under way still complete in the broker, their answers are dropped. */
    private void abandon() {
        synchronized (this) {
            ended = true;
            answers.clear();
        }
        streams.remove(token, this);
    }
}
