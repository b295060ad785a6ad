package io.mom.transport.grpc;

import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.ListRequest;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.LoginResponse;
import io.mom.grpc.v1.LogoutRequest;
import io.mom.grpc.v1.WhoAmIRequest;
import io.mom.grpc.v1.WhoAmIResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuthTest {
    private final GrpcFixture fx = new GrpcFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static ListRequest listQueues() {
        return ListRequest.newBuilder().setType(io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_QUEUE).build();
    }

    @Test
    void loginNeedsNoTokenAndItsTokenAuthenticatesLaterCalls() {
        LoginResponse login = AuthServiceGrpc.newBlockingStub(fx.channel)
                .login(LoginRequest.newBuilder().setUsername("alice").setPassword("alice-pw").build());

        assertThat(login.getToken()).isNotBlank();
        assertThat(login.getExpiresAt().getSeconds()).isPositive();
        WhoAmIResponse me = fx.authAs(login.getToken()).whoAmI(WhoAmIRequest.getDefaultInstance());
        assertThat(me.getUsername()).isEqualTo("alice");
        assertThat(me.getRolesList()).containsExactly("user");
    }

    @Test
    void adminRolesAreListed() {
        assertThat(fx.authAs(fx.adminToken).whoAmI(WhoAmIRequest.getDefaultInstance()).getRolesList())
                .containsExactly("admin", "user");
    }

    @Test
    void badCredentialsAreUnauthenticated() {
        var stub = AuthServiceGrpc.newBlockingStub(fx.channel);
        assertFails(() -> stub.login(LoginRequest.newBuilder().setUsername("alice").setPassword("nope").build()),
                ErrorCode.UNAUTHORIZED);
    }

    @Test
    void missingTokenIsUnauthenticatedWithTheCodeInTrailerAndErrorInfo() {
        var stub = DestinationServiceGrpc.newBlockingStub(fx.channel);

        StatusRuntimeException e = assertFails(() -> stub.list(listQueues()), ErrorCode.UNAUTHORIZED);

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertThat(details).isNotNull();
        assertThat(details.getDetailsList()).hasSize(1);
        ErrorInfo info = unpack(details);
        assertThat(info.getReason()).isEqualTo("UNAUTHORIZED");
        assertThat(info.getDomain()).isEqualTo(StatusMapping.ERROR_DOMAIN);
    }

    @Test
    void unknownTokenIsUnauthenticated() {
        assertFails(() -> fx.destinations("forged").list(listQueues()), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void headerWithoutBearerSchemeIsUnauthenticated() {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Basic " + fx.aliceToken);
        var stub = DestinationServiceGrpc.newBlockingStub(fx.channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        assertFails(() -> stub.list(listQueues()), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void logoutRevokesTheTokenAndEndsItsSubscribeStreams() {
        fx.broker.declare(ALICE, DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        String token = fx.auth.grant(ALICE);
        SubscribeClient stream = SubscribeClient.open(fx.messagingAsync(token), GrpcFixture.queueSource("orders"), 5, false);
        stream.awaitSubscribed();

        fx.authAs(token).logout(LogoutRequest.getDefaultInstance());

        stream.awaitEnd();
        assertThat(stream.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
        assertThat(stream.error()).isNull();
        assertFails(() -> fx.authAs(token).whoAmI(WhoAmIRequest.getDefaultInstance()), ErrorCode.UNAUTHORIZED);
        assertThat(fx.authAs(fx.aliceToken).whoAmI(WhoAmIRequest.getDefaultInstance()).getUsername())
                .as("other tokens of the same user still work").isEqualTo("alice");
        await().until(() -> fx.broker.describe(DestinationRef.queue("orders")).consumers() == 0);
    }

    @Test
    void reflectionListsTheMomServicesWithoutAToken() throws InterruptedException {
        List<String> services = new CopyOnWriteArrayList<>();
        var done = new java.util.concurrent.CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(fx.channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(services).contains("mom.v1.AuthService", "mom.v1.DestinationService", "mom.v1.MessagingService");
    }

    private static ErrorInfo unpack(com.google.rpc.Status details) {
        try {
            return details.getDetails(0).unpack(ErrorInfo.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
