package io.mom.transport.grpc;

import io.grpc.stub.StreamObserver;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A producer on one {@code PublishStream} that keeps at most {@code window} requests unconfirmed,
 * recording each answer by correlation id and counting duplicates.
 */
final class PublishStreamClient implements StreamObserver<PublishStreamResponse> {
    final Map<Long, PublishStreamResponse> answers = new ConcurrentHashMap<>();
    final AtomicInteger duplicateAnswers = new AtomicInteger();
    private final Semaphore window;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StreamObserver<PublishStreamRequest> requests;
    private volatile Throwable error;

    PublishStreamClient(MessagingServiceGrpc.MessagingServiceStub stub, int window) {
        this.window = new Semaphore(window);
        this.requests = stub.publishStream(this);
    }

    /** Sends once fewer than {@code window} requests are unconfirmed. */
    void send(PublishStreamRequest request) throws InterruptedException {
        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no answer for 30 s; " + answers.size() + " answers so far");
        }
        synchronized (this) {
            requests.onNext(request);
        }
    }

    synchronized void finish() {
        requests.onCompleted();
    }

    @Override
    public void onNext(PublishStreamResponse response) {
        if (answers.putIfAbsent(response.getCorrelationId(), response) != null) {
            duplicateAnswers.incrementAndGet();
        }
        window.release();
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        ended.set(true);
    }

    @Override
    public void onCompleted() {
        ended.set(true);
    }

    void awaitEnd() {
        await().until(ended::get);
    }

    Throwable error() {
        return error;
    }
}
