package io.mom.server.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.mom.core.Broker;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.SubscriptionRef;
import io.mom.server.logging.GrpcCallLog;
import io.mom.server.logging.GrpcConnectionLog;
import io.mom.server.metrics.BrokerMetrics;
import io.mom.server.metrics.GrpcMetrics;
import io.mom.server.metrics.HttpMetrics;
import io.mom.server.metrics.PrometheusMetrics;
import io.mom.transport.grpc.GrpcServer;
import io.mom.transport.rest.auth.JwtAuthenticator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gRPC listener's observers as the server wires them: per-method timers and status counts on
 * {@code /metrics}; log lines for logins, connections, streams and failed calls with their codes; and no
 * password, token or payload in any line.
 */
class GrpcObservabilityTest {
    private static final String PASSWORD = "alice-Password-31a4";
    private static final String PAYLOAD = "grpc-payload-SECRET-88";

    @Test
    void callsAreTimedCountedAndLoggedWithoutSecrets() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        MetricRegistry registry = new MetricRegistry();
        BrokerMetrics brokerMetrics = new BrokerMetrics(registry, 100);
        GrpcMetrics grpcMetrics = new GrpcMetrics(registry);
        PrometheusMetrics prometheus = new PrometheusMetrics(registry, brokerMetrics, new HttpMetrics(registry),
                grpcMetrics, null);
        InMemoryUserStore store = new InMemoryUserStore();
        Users users = new Users(store, new PasswordHasher(1000), Clock.systemUTC());
        users.bootstrapAdmin(Optional.of("admin-pw-unused"));
        users.create(io.mom.core.Identity.admin("admin"), "alice", PASSWORD, java.util.Set.of());
        Broker broker = Broker.builder().events(brokerMetrics).build().start();
        String token;
        GrpcServer server = GrpcServer.builder().broker(broker)
                .authenticator(new JwtAuthenticator(users, store, "k".repeat(32), Duration.ofHours(1),
                        Clock.systemUTC()))
                .port(0).bindAddress("127.0.0.1").interceptor(grpcMetrics).interceptor(new GrpcCallLog())
                .transportFilter(new GrpcConnectionLog()).shutdownGrace(Duration.ofMillis(200)).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            AuthServiceGrpc.AuthServiceBlockingStub auth = AuthServiceGrpc.newBlockingStub(channel);
            StatusRuntimeException denied = catchThrowableOfType(StatusRuntimeException.class, () -> auth.login(
                    LoginRequest.newBuilder().setUsername("alice").setPassword("wrong-" + PASSWORD).build()));
            assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            token = auth.login(LoginRequest.newBuilder().setUsername("alice").setPassword(PASSWORD).build()).getToken();

            Metadata bearer = new Metadata();
            bearer.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            DestinationRef queue = DestinationRef.newBuilder().setType(DestinationType.DESTINATION_TYPE_QUEUE)
                    .setName("grpc.jobs").build();
            DestinationServiceGrpc.newBlockingStub(channel).withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(bearer)).declare(
                    DeclareRequest.newBuilder().setDestination(queue).build());
            MessagingServiceGrpc.newBlockingStub(channel).withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(bearer)).publish(PublishRequest.newBuilder()
                    .setDestination(queue).addMessages(OutgoingMessage.newBuilder()
                            .setPayload(ByteString.copyFromUtf8(PAYLOAD))).build());

            List<SubscribeResponse> received = new CopyOnWriteArrayList<>();
            ClientCallStreamObserver<SubscribeRequest>[] requests = new ClientCallStreamObserver[1];
            MessagingServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer))
                    .subscribe(new ClientResponseObserver<SubscribeRequest, SubscribeResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> stream) {
                            requests[0] = stream;
                        }

                        @Override
                        public void onNext(SubscribeResponse value) {
                            received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests[0].onNext(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                    .setSource(SubscriptionRef.newBuilder().setDestination(queue)).setInitialCredit(10)
                    .setAutoAck(true)).build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.stream().anyMatch(SubscribeResponse::hasDelivery));
            requests[0].onCompleted();
            await().atMost(Duration.ofSeconds(10)).until(() -> logged(lines, "event=stream_closed", "Subscribe"));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
            broker.close();
        }
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logged(lines, "event=connection_closed", "transport=grpc"));
            assertThat(logged(lines, "event=login", "transport=grpc", "user=alice", "outcome=failure")).isTrue();
            assertThat(logged(lines, "event=login", "transport=grpc", "user=alice", "outcome=success")).isTrue();
            assertThat(logged(lines, "event=grpc_call_failed", "method=mom.v1.AuthService/Login",
                    "status=UNAUTHENTICATED", "code=UNAUTHORIZED")).isTrue();
            assertThat(logged(lines, "event=connection_opened", "transport=grpc", "remote=127.0.0.1:")).isTrue();
            assertThat(logged(lines, "event=stream_opened", "transport=grpc",
                    "method=mom.v1.MessagingService/Subscribe")).isTrue();
            assertThat(logged(lines, "event=stream_closed", "method=mom.v1.MessagingService/Subscribe", "ms="))
                    .isTrue();
            for (ILoggingEvent e : List.copyOf(lines.list)) {
                assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD).doesNotContain(PAYLOAD)
                        .doesNotContain(token);
            }
        } finally {
            root.detachAppender(lines);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        prometheus.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("mom_grpc_calls_total{code=\"OK\",method=\"mom.v1.AuthService/Login\"} 1.0")
                .contains("mom_grpc_calls_total{code=\"UNAUTHENTICATED\",method=\"mom.v1.AuthService/Login\"} 1.0")
                .contains("mom_grpc_calls_total{code=\"OK\",method=\"mom.v1.MessagingService/Publish\"} 1.0")
                .contains("mom_grpc_call_duration_seconds_count{method=\"mom.v1.MessagingService/Subscribe\"} 1")
                .contains("mom_published_total{destination=\"grpc.jobs\"} 1.0");
        io.mom.server.testing.ExternalTools.assertValidPrometheusText(text);
    }

    private static boolean logged(ListAppender<ILoggingEvent> lines, String... parts) {
        return List.copyOf(lines.list).stream().map(ILoggingEvent::getFormattedMessage)
                .anyMatch(l -> List.of(parts).stream().allMatch(l::contains));
    }
}
