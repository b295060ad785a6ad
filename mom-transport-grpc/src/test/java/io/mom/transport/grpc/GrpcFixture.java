package io.mom.transport.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.mom.core.Broker;
import io.mom.core.BrokerBuilder;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.SubscriptionRef;
import org.assertj.core.api.ThrowableAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A real broker behind a real {@link GrpcServer} on a free loopback port, a plaintext channel to it and
 * tokens for three users (alice, bob, admin). Close it after each test.
 */
final class GrpcFixture implements AutoCloseable {
    static final Identity ALICE = Identity.user("alice");
    static final Identity BOB = Identity.user("bob");
    static final Identity ADMIN = Identity.admin("admin");

    final FakeAuthenticator auth = new FakeAuthenticator().user(ALICE, "alice-pw").user(BOB, "bob-pw");
    final Broker broker;
    final GrpcServer server;
    final ManagedChannel channel;
    final String aliceToken = auth.grant(ALICE);
    final String bobToken = auth.grant(BOB);
    final String adminToken = auth.grant(ADMIN);

    GrpcFixture() {
        this(b -> { }, s -> { });
    }

    GrpcFixture(Consumer<BrokerBuilder> brokerSettings, Consumer<GrpcServerBuilder> serverSettings) {
        BrokerBuilder bb = Broker.builder();
        brokerSettings.accept(bb);
        this.broker = bb.build().start();
        GrpcServerBuilder sb = GrpcServer.builder().broker(broker).authenticator(auth).port(0)
                .shutdownGrace(java.time.Duration.ofMillis(200));
        serverSettings.accept(sb);
        this.server = sb.build().start();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .maxInboundMessageSize(32 << 20).build();
    }

    static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    AuthServiceGrpc.AuthServiceBlockingStub authAs(String token) {
        return as(AuthServiceGrpc.newBlockingStub(channel), token);
    }

    DestinationServiceGrpc.DestinationServiceBlockingStub destinations(String token) {
        return as(DestinationServiceGrpc.newBlockingStub(channel), token);
    }

    MessagingServiceGrpc.MessagingServiceBlockingStub messaging(String token) {
        return as(MessagingServiceGrpc.newBlockingStub(channel), token);
    }

    MessagingServiceGrpc.MessagingServiceStub messagingAsync(String token) {
        return as(MessagingServiceGrpc.newStub(channel), token);
    }

    static DestinationRef queue(String name) {
        return DestinationRef.newBuilder().setType(DestinationType.DESTINATION_TYPE_QUEUE).setName(name).build();
    }

    static DestinationRef topic(String name) {
        return DestinationRef.newBuilder().setType(DestinationType.DESTINATION_TYPE_TOPIC).setName(name).build();
    }

    static SubscriptionRef queueSource(String name) {
        return SubscriptionRef.newBuilder().setDestination(queue(name)).build();
    }

    static SubscriptionRef topicSource(String topic, String subscription) {
        return SubscriptionRef.newBuilder().setDestination(topic(topic)).setSubscription(subscription).build();
    }

    /** Awaitility with a short poll, for loops that wait many times. */
    static ConditionFactory soon() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Asserts that the call fails with the gRPC status and MOM error code of the mapping table. */
    static StatusRuntimeException assertFails(ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with " + code).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(StatusMapping.statusCode(code));
        assertThat(StatusMapping.errorCodeOf(e)).contains(code);
        return e;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            broker.close();
        }
    }
}
