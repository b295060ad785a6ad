package io.mom.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.mom.core.Broker;
import io.mom.core.DestinationOptions;
import io.mom.core.ErrorCode;
import io.mom.core.Limits;
import io.mom.grpc.v1.AckRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PublishStreamTest {

    private static PublishStreamRequest request(long correlation, String queue, String text) {
        return PublishStreamRequest.newBuilder().setCorrelationId(correlation).setDestination(queue(queue))
                .addMessages(OutgoingMessage.newBuilder().setPayload(ByteString.copyFromUtf8(text))).build();
    }

    @Test
    void everyRequestOfAProducerWithManyInFlightIsAnsweredOnceAndStored() throws Exception {
        int count = 2_000;
        try (GrpcFixture fx = new GrpcFixture(b -> { }, s -> s.publishStreamMaxInFlight(64))) {
            fx.broker.declare(ALICE, io.mom.core.DestinationRef.queue("firehose"), DestinationOptions.DEFAULTS);
            PublishStreamClient producer = new PublishStreamClient(fx.messagingAsync(fx.aliceToken), 500);

            for (long i = 0; i < count; i++) {
                producer.send(request(i, "firehose", "m" + i));
            }
            producer.finish();
            producer.awaitEnd();

            assertThat(producer.error()).isNull();
            assertThat(producer.duplicateAnswers).hasValue(0);
            assertThat(producer.answers).hasSize(count);
            Set<String> ids = new HashSet<>();
            for (PublishStreamResponse answer : producer.answers.values()) {
                assertThat(answer.hasPublished()).as("answer %s", answer).isTrue();
                ids.addAll(answer.getPublished().getIdsList());
            }
            assertThat(ids).hasSize(count);
            assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("firehose")).depth()).isEqualTo(count);
        }
    }

    @Test
    void aFailedRequestIsAnsweredWithItsErrorAndTheStreamGoesOn() throws Exception {
        try (GrpcFixture fx = new GrpcFixture()) {
            fx.broker.declare(ALICE, io.mom.core.DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
            PublishStreamClient producer = new PublishStreamClient(fx.messagingAsync(fx.aliceToken), 10);
            byte[] tooBig = new byte[Limits.DEFAULTS.maxPayloadBytes() + 1];

            producer.send(request(1, "orders", "ok"));
            producer.send(request(2, "missing", "x"));
            producer.send(PublishStreamRequest.newBuilder().setCorrelationId(3).setDestination(queue("orders"))
                    .addMessages(OutgoingMessage.newBuilder().setPayload(ByteString.copyFrom(tooBig))).build());
            producer.send(PublishStreamRequest.newBuilder().setCorrelationId(4).build());
            producer.send(request(5, "orders", "also ok"));
            producer.finish();
            producer.awaitEnd();

            assertThat(producer.error()).isNull();
            assertThat(producer.answers).hasSize(5);
            assertThat(producer.answers.get(1L).hasPublished()).isTrue();
            assertThat(producer.answers.get(2L).getError().getCode()).isEqualTo(ErrorCode.NOT_FOUND.name());
            assertThat(producer.answers.get(2L).getError().getGrpcStatus())
                    .isEqualTo(StatusMapping.statusCode(ErrorCode.NOT_FOUND).value());
            assertThat(producer.answers.get(3L).getError().getCode()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE.name());
            assertThat(producer.answers.get(4L).getError().getCode()).isEqualTo(ErrorCode.INVALID_REQUEST.name());
            assertThat(producer.answers.get(5L).hasPublished()).isTrue();
            assertThat(fx.broker.describe(io.mom.core.DestinationRef.queue("orders")).depth()).isEqualTo(2);
        }
    }

    @Test
    void theServerReadsOnlyAsManyRequestsAsItsInFlightLimitUntilAnswersComplete() throws IOException,
            InterruptedException {
        int limit = 8;
        FakeAuthenticator auth = new FakeAuthenticator();
        String token = auth.grant(ALICE);
        GatedBroker broker = new GatedBroker(Broker.builder().build().start());
        broker.declare(ALICE, io.mom.core.DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(new MessagingGrpcService(broker, new OpenStreams(), limit, 64),
                        new AuthInterceptor(auth, Set.of())))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            PublishStreamClient producer = new PublishStreamClient(
                    GrpcFixture.as(MessagingServiceGrpc.newStub(channel), token), 100);
            for (long i = 0; i < 100; i++) {
                producer.send(request(i, "orders", "m" + i));
            }

            await().until(() -> broker.publishCalls() == limit);
            // A round trip on the same server: had the stream read more requests, they would be in by now.
            GrpcFixture.as(MessagingServiceGrpc.newBlockingStub(channel), token).ack(AckRequest.newBuilder()
                    .setSource(GrpcFixture.queueSource("orders")).addReceipts("none").build());
            assertThat(broker.publishCalls()).isEqualTo(limit);

            broker.releaseOne();
            await().until(() -> broker.publishCalls() == limit + 1);
            assertThat(producer.answers).hasSize(1);

            broker.openGate();
            producer.finish();
            producer.awaitEnd();
            assertThat(producer.error()).isNull();
            assertThat(producer.answers).hasSize(100);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            broker.close();
        }
    }
}
