package io.mom.server.cluster;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Marks calls that another node forwarded here (metadata {@code x-mom-forwarded}), so that
 * {@link ClusteredBroker} serves them locally or fails them, and never forwards them again: a request
 * crosses at most one hop, even while two nodes disagree about a placement for a moment. The mark
 * grants nothing (the call still needs a valid token), so a client setting it only loses forwarding.
 * Stateless; the interceptor is thread-safe.
 */
final class Forwarding {
    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-mom-forwarded", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> FORWARDED = Context.key("mom-forwarded");

    private Forwarding() {
    }

    /** True while running a call that a peer forwarded. */
    static boolean isForwarded() {
        return Boolean.TRUE.equals(FORWARDED.get());
    }

    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                if (headers.get(HEADER) == null) {
                    return next.startCall(call, headers);
                }
                return Contexts.interceptCall(Context.current().withValue(FORWARDED, true), call, headers, next);
            }
        };
    }
}
