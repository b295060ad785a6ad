package io.mom.transport.grpc;

import io.grpc.stub.StreamObserver;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.auth.Authenticator;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.LoginResponse;
import io.mom.grpc.v1.LogoutRequest;
import io.mom.grpc.v1.LogoutResponse;
import io.mom.grpc.v1.WhoAmIRequest;
import io.mom.grpc.v1.WhoAmIResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mom.v1.AuthService}: login (the one unauthenticated call), logout and who-am-i. Logout also
 * ends this server's push streams opened with the revoked token. Every login outcome is logged, without
 * the password. Thread-safe.
 */
final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(AuthGrpcService.class);

    private final Authenticator authenticator;
    private final OpenStreams streams;

    AuthGrpcService(Authenticator authenticator, OpenStreams streams) {
        this.authenticator = authenticator;
        this.streams = streams;
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> responseObserver) {
        UnaryCalls.reply(responseObserver, () -> {
            String shown = Names.isValid(request.getUsername()) ? request.getUsername() : "<invalid>";
            Authenticator.Session session;
            try {
                session = authenticator.login(request.getUsername(), request.getPassword());
            } catch (MomException e) {
                if (e.code() == ErrorCode.UNAUTHORIZED) {
                    log.info("event=login transport=grpc user={} outcome=failure", shown);
                }
                throw e;
            }
            log.info("event=login transport=grpc user={} outcome=success", session.identity().username());
            return LoginResponse.newBuilder()
                    .setToken(session.token())
                    .setExpiresAt(ProtoMapping.timestamp(session.expiresAt()))
                    .build();
        });
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> responseObserver) {
        String token = AuthInterceptor.TOKEN.get();
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            authenticator.logout(token);
            streams.endAll(token, io.mom.grpc.v1.CloseReason.CLOSE_REASON_LOGGED_OUT);
            log.info("event=logout transport=grpc user={}", caller.username());
            return LogoutResponse.getDefaultInstance();
        });
    }

    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> WhoAmIResponse.newBuilder()
                .setUsername(caller.username())
                .addAllRoles(ProtoMapping.roles(caller.roles()))
                .build());
    }
}
