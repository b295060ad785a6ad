package io.mom.client.impl;

import io.mom.client.NackMode;
import io.mom.client.Source;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Each push delivery gives its stream's credit back exactly once, however it is settled. */
class OpenDeliveriesTest {
    private static final Source Q = Source.queue("q");

    /** A stream that counts the credit given back. */
    private static final class CountingStream implements PushStream {
        final AtomicInteger released = new AtomicInteger();

        @Override
        public Optional<StreamEvent> next() {
            return Optional.empty();
        }

        @Override
        public void released(int deliveries) {
            released.addAndGet(deliveries);
        }

        @Override
        public void close() {
        }
    }

    /** A settler that records what reached it. */
    private static final class RecordingSettler implements ReceivedMessage.Settler {
        final List<String> calls = new ArrayList<>();

        @Override
        public CompletableFuture<Boolean> ack(Source source, String receipt) {
            calls.add("ack " + receipt);
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> nack(Source source, String receipt, NackMode mode) {
            calls.add("nack " + receipt);
            return CompletableFuture.completedFuture(true);
        }
    }

    private final OpenDeliveries deliveries = new OpenDeliveries();
    private final CountingStream stream = new CountingStream();
    private final CountingStream other = new CountingStream();

    @Test
    void receiptsSettledThroughTheClientGiveTheirOwnStreamsCreditBack() {
        deliveries.delivered("r1", stream);
        deliveries.delivered("r2", stream);
        deliveries.delivered("r3", other);

        deliveries.settled(List.of("r1", "r3", "pulled-elsewhere"));

        assertThat(stream.released).hasValue(1);
        assertThat(other.released).hasValue(1);
        assertThat(deliveries.size()).isEqualTo(1);
    }

    @Test
    void aReceiptSettledTwiceByBothRoutesReturnsCreditOnce() {
        RecordingSettler sent = new RecordingSettler();
        ReceivedMessage.Settler settler = deliveries.releasing(sent);
        deliveries.delivered("r1", stream);
        deliveries.delivered("r2", stream);

        deliveries.settled(List.of("r1"));          // MomClient.ack(source, [r1])
        settler.ack(Q, "r1");                       // then Message.ack() of the same delivery
        settler.nack(Q, "r2", NackMode.REQUEUE);    // Message.nack()
        deliveries.settled(List.of("r2"));          // then MomClient.nack(source, [r2])

        assertThat(stream.released).hasValue(2);
        assertThat(sent.calls).as("settlements still reach the server").containsExactly("ack r1", "nack r2");
    }

    @Test
    void theDeliveriesOfAnEndedStreamAreForgottenAndGiveNoCredit() {
        deliveries.delivered("r1", stream);
        deliveries.delivered("r2", other);

        deliveries.forget(stream);
        deliveries.settled(List.of("r1", "r2"));

        assertThat(stream.released).hasValue(0);
        assertThat(other.released).hasValue(1);
        assertThat(deliveries.size()).isZero();
    }
}
