package io.mom.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers unary calls from a synchronous body or from a broker future, mapping every failure through
 * {@link StatusMapping}. The future may complete on any thread; a call the client has cancelled by then
 * is answered no more. Stateless.
 */
final class UnaryCalls {
    private static final Logger log = LoggerFactory.getLogger(UnaryCalls.class);

    private UnaryCalls() {
    }

    /** Runs {@code body} now and answers with its result or error. */
    static <R> void reply(StreamObserver<R> observer, Supplier<R> body) {
        R response;
        try {
            response = body.get();
        } catch (RuntimeException e) {
            fail(observer, e);
            return;
        }
        complete(observer, response);
    }

    /** Starts {@code call} now and answers when its future completes. */
    static <T, R> void replyLater(StreamObserver<R> observer, Supplier<CompletableFuture<T>> call,
                                  Function<T, R> mapper) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            fail(observer, e);
            return;
        }
        future.whenComplete((value, error) -> {
            if (error != null) {
                fail(observer, error);
                return;
            }
            R response;
            try {
                response = mapper.apply(value);
            } catch (RuntimeException e) {
                fail(observer, e);
                return;
            }
            complete(observer, response);
        });
    }

    static <R> void complete(StreamObserver<R> observer, R response) {
        if (isCancelled(observer)) {
            return;
        }
        try {
            observer.onNext(response);
            observer.onCompleted();
        } catch (RuntimeException e) {
            // The call ended meanwhile (cancelled or closed by the transport): nobody is listening.
            log.debug("event=grpc_reply_dropped error={}", e.toString());
        }
    }

    static void fail(StreamObserver<?> observer, Throwable error) {
        var status = StatusMapping.toException(error);
        if (isCancelled(observer)) {
            return;
        }
        try {
            observer.onError(status);
        } catch (RuntimeException e) {
            log.debug("event=grpc_reply_dropped error={}", e.toString());
        }
    }

    static boolean isCancelled(StreamObserver<?> observer) {
        return observer instanceof ServerCallStreamObserver<?> call && call.isCancelled();
    }
}
