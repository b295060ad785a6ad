package io.mom.transport.grpc;

import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;

/** Adapts unary async stubs to futures. */
final class Observers {
    private Observers() {
    }

    static <T> StreamObserver<T> into(CompletableFuture<T> future) {
        return new StreamObserver<>() {
            private T value;

            @Override
            public void onNext(T v) {
                value = v;
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.complete(value);
            }
        };
    }
}
