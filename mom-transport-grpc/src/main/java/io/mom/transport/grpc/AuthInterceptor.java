package io.mom.transport.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.auth.Authenticator;

import java.util.Objects;
import java.util.Set;

/**
 * Authenticates every MOM call from its {@code authorization: Bearer <token>} metadata and puts the
 * caller's {@link Identity} and token in the gRPC {@link Context} ({@link #IDENTITY}, {@link #TOKEN}).
 * Calls to exempt methods (login) pass through. A missing, malformed, expired or revoked token ends the
 * call with {@code UNAUTHENTICATED} and the code {@code UNAUTHORIZED}. Thread-safe; runs on the
 * server's executor, so a slow token check never blocks a transport thread.
 */
final class AuthInterceptor implements ServerInterceptor {
    static final Context.Key<Identity> IDENTITY = Context.key("mom-identity");
    static final Context.Key<String> TOKEN = Context.key("mom-token");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final Authenticator authenticator;
    private final Set<String> exemptMethods;

    AuthInterceptor(Authenticator authenticator, Set<String> exemptMethods) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.exemptMethods = Set.copyOf(exemptMethods);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (exemptMethods.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return reject(call, StatusMapping.toException(ErrorCode.UNAUTHORIZED, "missing bearer token"));
        }
        String token = header.substring(BEARER.length()).trim();
        Identity identity;
        try {
            identity = authenticator.verify(token);
        } catch (RuntimeException e) {
            return reject(call, StatusMapping.toException(e));
        }
        Context context = Context.current().withValues(IDENTITY, identity, TOKEN, token);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, StatusRuntimeException error) {
        call.close(error.getStatus(), error.getTrailers() == null ? new Metadata() : error.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }
}
