package io.mom.transport.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.OutgoingMessage;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.ReceiveResponse;
import io.mom.grpc.v1.WhoAmIRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.queueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A long poll whose client went away stops waiting at once, so it cannot take (and keep leased to
 * nobody) a message that arrives later. One server thread makes the order deterministic: the
 * cancellation is handled before the next call.
 */
class ReceiveCancelTest {
    private final GrpcFixture fx = new GrpcFixture(b -> { }, s -> s.threads(1));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aCancelledLongPollStopsWaitingSoTheNextPullGetsTheMessageFirstHand() {
        fx.broker.declare(ALICE, DestinationRef.queue("orders"),
                DestinationOptions.builder().ackTimeout(Duration.ofHours(1)).build());
        CompletableFuture<ReceiveResponse> abandoned = new CompletableFuture<>();
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> fx.messagingAsync(fx.bobToken).receive(ReceiveRequest.newBuilder()
                .setSource(queueSource("orders")).setWaitMs(30_000).build(), Observers.into(abandoned)));
        org.awaitility.Awaitility.await().until(() -> fx.broker.describe(DestinationRef.queue("orders")).consumers() == 1);

        context.cancel(null);
        Throwable error = catchThrowable(abandoned::join);
        assertThat(Status.fromThrowable(error instanceof CompletionException ? error.getCause() : error).getCode())
                .isEqualTo(Status.Code.CANCELLED);
        fx.authAs(fx.bobToken).whoAmI(WhoAmIRequest.getDefaultInstance());
        org.awaitility.Awaitility.await().until(() -> fx.broker.describe(DestinationRef.queue("orders")).consumers() == 0);
        fx.broker.publish(ALICE, DestinationRef.queue("orders"), OutgoingMessage.of("taken")).join();

        List<Message> again = fx.messaging(fx.bobToken).receive(ReceiveRequest.newBuilder()
                .setSource(queueSource("orders")).setWaitMs(10_000).build()).getMessagesList();
        assertThat(again).extracting(m -> m.getPayload().toStringUtf8()).containsExactly("taken");
        assertThat(again.get(0).getDeliveryCount()).isEqualTo(1);
    }
}
