package io.mom.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mom.core.Broker;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.WhoAmIRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GrpcServerTest {
    private final Broker broker = Broker.builder().build().start();
    private final FakeAuthenticator auth = new FakeAuthenticator();

    @AfterEach
    void close() {
        broker.close();
    }

    private GrpcServerBuilder builder() {
        return GrpcServer.builder().broker(broker).authenticator(auth).port(0);
    }

    private static ManagedChannel channel(GrpcServer server) {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @Test
    void startIsIdempotentAndClosedIsFinal() {
        GrpcServer server = builder().build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);

        assertThat(server.start()).isSameAs(server.start());
        int port = server.port();
        assertThat(port).isPositive();
        assertThat(server.address().getPort()).isEqualTo(port);
        assertThat(server.isRunning()).isTrue();

        server.close();
        server.close();
        assertThat(server.isRunning()).isFalse();
        MomException e = catchThrowableOfType(MomException.class, server::start);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aPortInUseFailsStartWithUnavailable() {
        try (GrpcServer first = builder().build().start()) {
            GrpcServer second = builder().port(first.port()).build();

            MomException e = catchThrowableOfType(MomException.class, second::start);

            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(second.isRunning()).isFalse();
        }
    }

    @Test
    void theBuilderRejectsIncompleteOrOutOfRangeSettings() {
        assertThatThrownBy(() -> GrpcServer.builder().authenticator(auth).build()).isInstanceOf(MomException.class);
        assertThatThrownBy(() -> builder().port(65_536).build()).isInstanceOf(MomException.class);
        assertThatThrownBy(() -> builder().threads(0).build()).isInstanceOf(MomException.class);
        assertThatThrownBy(() -> builder().publishStreamMaxInFlight(0).build()).isInstanceOf(MomException.class);
        assertThatThrownBy(() -> builder().subscribeBufferSize(0).build()).isInstanceOf(MomException.class);
    }

    @Test
    void theHealthServiceReportsServingWithoutAToken() throws InterruptedException {
        try (GrpcServer server = builder().build().start()) {
            ManagedChannel channel = channel(server);
            try {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aRequestAboveTheMessageSizeLimitIsResourceExhausted() throws InterruptedException {
        broker.declare(ALICE, DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        String token = auth.grant(ALICE);
        try (GrpcServer server = builder().maxInboundMessageSize(64 * 1024).build().start()) {
            ManagedChannel channel = channel(server);
            try {
                var messaging = GrpcFixture.as(io.mom.grpc.v1.MessagingServiceGrpc.newBlockingStub(channel), token);
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                        () -> messaging.publish(PublishRequest.newBuilder().setDestination(GrpcFixture.queue("orders"))
                                .addMessages(OutgoingMessage.newBuilder()
                                        .setPayload(ByteString.copyFrom(new byte[100 * 1024]))).build()));

                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(broker.describe(DestinationRef.queue("orders")).depth()).isZero();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anUnexpectedFailureIsInternalWithAGenericMessage() throws InterruptedException {
        Authenticator broken = new Authenticator() {
            @Override
            public Session login(String username, String password) {
                throw new IllegalStateException("connection to user db at secret-host failed");
            }

            @Override
            public Identity verify(String token) {
                throw new IllegalStateException("key store at /secret/path unreadable");
            }

            @Override
            public void logout(String token) {
            }
        };
        try (GrpcServer server = builder().authenticator(broken).build().start()) {
            ManagedChannel channel = channel(server);
            try {
                StatusRuntimeException login = catchThrowableOfType(StatusRuntimeException.class,
                        () -> AuthServiceGrpc.newBlockingStub(channel).login(LoginRequest.newBuilder()
                                .setUsername("a").setPassword("b").build()));
                StatusRuntimeException call = catchThrowableOfType(StatusRuntimeException.class,
                        () -> GrpcFixture.as(AuthServiceGrpc.newBlockingStub(channel), "t")
                                .whoAmI(WhoAmIRequest.getDefaultInstance()));

                for (StatusRuntimeException e : new StatusRuntimeException[] {login, call}) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
                    assertThat(StatusMapping.errorCodeOf(e)).contains(ErrorCode.INTERNAL);
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
