package io.mom.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.SubscriptionRef;
import io.mom.grpc.v1.WhoAmIRequest;
import io.mom.server.tls.SelfSigned;
import io.mom.transport.grpc.GrpcServer;
import io.mom.transport.rest.testing.ApiClient;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The server's gRPC listener: its port, its shared tokens, logout across listeners, TLS and shutdown. */
class GrpcListenerTest {
    private static final DestinationRef ORDERS = DestinationRef.newBuilder()
            .setType(DestinationType.DESTINATION_TYPE_QUEUE).setName("orders").build();

    @TempDir
    Path dataDir;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private MomServer start(Map<String, String> env) {
        return Main.start(new String[]{"--http-port=0", "--grpc-port=0", "--data-dir=" + dataDir, "--store=memory",
                "--admin-password=pw", "--jwt-secret=" + "s".repeat(32)}, env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private ManagedChannel plaintext(int port) {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(c);
        return c;
    }

    private static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void answersGrpcOnTheLoggedPortWithTokensThatAlsoWorkOverRest() {
        Logger grpcLog = (Logger) LoggerFactory.getLogger(GrpcServer.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        grpcLog.addAppender(lines);
        try (MomServer server = start(Map.of())) {
            int port = server.grpcPort();
            assertThat(port).isPositive().isNotEqualTo(server.restPort());
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("gRPC listening on 127.0.0.1:" + port);

            ManagedChannel channel = plaintext(port);
            String token = AuthServiceGrpc.newBlockingStub(channel)
                    .login(LoginRequest.newBuilder().setUsername("admin").setPassword("pw").build()).getToken();
            as(DestinationServiceGrpc.newBlockingStub(channel), token)
                    .declare(DeclareRequest.newBuilder().setDestination(ORDERS).build());
            as(MessagingServiceGrpc.newBlockingStub(channel), token).publish(PublishRequest.newBuilder()
                    .setDestination(ORDERS).addMessages(OutgoingMessage.newBuilder()
                            .setPayload(ByteString.copyFromUtf8("over grpc"))).build());

            // the same token, the same broker, through REST
            ApiClient rest = new ApiClient(server.restUrl());
            assertThat(rest.post("/v1/queues/orders/receive", token, ApiClient.json("max", 1, "autoAck", true))
                    .array("messages").get(0).getAsJsonObject().get("payload").getAsString()).isEqualTo("over grpc");
            String restToken = rest.login("admin", "pw");
            assertThat(as(AuthServiceGrpc.newBlockingStub(channel), restToken)
                    .whoAmI(WhoAmIRequest.getDefaultInstance()).getUsername()).isEqualTo("admin");
        } finally {
            grpcLog.detachAppender(lines);
        }
    }

    @Test
    void aRestLogoutEndsTheTokensGrpcSubscribeStream() throws Exception {
        try (MomServer server = start(Map.of())) {
            ApiClient rest = new ApiClient(server.restUrl());
            String token = rest.login("admin", "pw");
            assertThat(rest.put("/v1/queues/orders", token, null).status()).isEqualTo(201);
            Events events = subscribe(plaintext(server.grpcPort()), token);
            assertThat(events.next().hasSubscribed()).isTrue();

            assertThat(rest.post("/v1/auth/logout", token, null).status()).isEqualTo(204);

            SubscribeResponse last = events.next();
            assertThat(last.hasClosed()).isTrue();
            assertThat(last.getClosed().getReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
            assertThat(events.end()).isNull();
        }
    }

    @Test
    void gracefulShutdownEndsGrpcStreamsAndStopsTheListener() throws Exception {
        MomServer server = start(Map.of());
        ManagedChannel channel = plaintext(server.grpcPort());
        String token = AuthServiceGrpc.newBlockingStub(channel)
                .login(LoginRequest.newBuilder().setUsername("admin").setPassword("pw").build()).getToken();
        as(DestinationServiceGrpc.newBlockingStub(channel), token)
                .declare(DeclareRequest.newBuilder().setDestination(ORDERS).build());
        Events events = subscribe(channel, token);
        assertThat(events.next().hasSubscribed()).isTrue();

        server.close();

        SubscribeResponse last = events.next();
        assertThat(last.getClosed().getReason()).isEqualTo(CloseReason.CLOSE_REASON_BROKER_STOPPED);
        assertThat(events.end()).isNull();
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> as(MessagingServiceGrpc.newBlockingStub(channel), token).receive(ReceiveRequest.newBuilder()
                        .setSource(SubscriptionRef.newBuilder().setDestination(ORDERS)).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void servesTlsWithTheSamePemFilesAsRestIncludingAnEcKeyInSec1Form(@TempDir Path certDir) throws Exception {
        SelfSigned cert = SelfSigned.create(certDir, SelfSigned.KeyFormat.SEC1_EC);
        try (MomServer server = start(Map.of("MOM_TLS_CERT", cert.cert.toString(), "MOM_TLS_KEY", cert.key.toString()))) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort(),
                    TlsChannelCredentials.newBuilder().trustManager(cert.cert.toFile()).build()).build();
            channels.add(channel);
            String token = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setUsername("admin").setPassword("pw").build()).getToken();
            assertThat(as(AuthServiceGrpc.newBlockingStub(channel), token)
                    .whoAmI(WhoAmIRequest.getDefaultInstance()).getUsername()).isEqualTo("admin");
        }
    }

    private static Events subscribe(ManagedChannel channel, String token) {
        Events events = new Events();
        StreamObserver<SubscribeRequest> requests = as(MessagingServiceGrpc.newStub(channel), token)
                .withDeadlineAfter(60, TimeUnit.SECONDS).subscribe(events);
        requests.onNext(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                .setSource(SubscriptionRef.newBuilder().setDestination(ORDERS)).setInitialCredit(10)).build());
        return events;
    }

    /** What a Subscribe call received, in order; the end is an empty marker holding the error, if any. */
    private static final class Events implements StreamObserver<SubscribeResponse> {
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private static final Object COMPLETED = new Object();

        @Override
        public void onNext(SubscribeResponse value) {
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onCompleted() {
            queue.add(COMPLETED);
        }

        SubscribeResponse next() throws InterruptedException {
            Object o = queue.poll(30, TimeUnit.SECONDS);
            assertThat(o).as("next stream event").isInstanceOf(SubscribeResponse.class);
            return (SubscribeResponse) o;
        }

        /** Null when the stream completed normally; the error otherwise. */
        Throwable end() throws InterruptedException {
            Object o = queue.poll(30, TimeUnit.SECONDS);
            assertThat(o).as("end of stream").isNotNull().isNotInstanceOf(SubscribeResponse.class);
            return o == COMPLETED ? null : (Throwable) o;
        }
    }
}
